// Package feed brings the Axialys real-time notifications into callboard:
// it authenticates over HTTP, holds the Socket.IO connection, decodes every
// `update` payload into a typed Event and delivers typed messages (the
// directory, events, batches of events, connection status) on a channel.
// It knows nothing of the screen, and does not record: whoever wants every
// message delivered (a recording, see package record) sets
// Config.OnMessage.
package feed
