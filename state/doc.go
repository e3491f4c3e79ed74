// Package state is callboard's reducer: it folds the feed's messages into a
// Board and derives the views the screen and the snapshot show (rows,
// totals, KPIs). It does no I/O, starts no goroutine and never reads the
// clock: every function that needs the time is given it.
//
// # Agents
//
// An agent has two dimensions: presence, from UI events (login, logout,
// pause with supp = pause id), and call status, from operator status events.
// The displayed state takes the first that holds of: logged_out; ringing,
// calling or on_call (status connected); paused; other (a status value we do
// not know, kept raw); unavailable; available (status available, or logged
// in with no status yet); unknown (no event seen yet). A pause ends on login,
// logout, or a pause whose supp is one of Options.ResumePauseIDs. The pause
// reason is the label of the pause id (directory, then Options.PauseLabels),
// else the raw id. Per agent the board keeps the time in the current state,
// the current call (id, caller, queue, recorded) and today's totals: calls
// answered (entries into on_call; the same call id entering again counts
// once), seconds on call, seconds paused. After an outage, an event that
// describes an agent's state as it was before (the burst after init) keeps
// its time in state rather than starting it over.
//
// # Queues
//
// insert_call puts a call in the queue, entered at the event time minus
// duration_in_queue; connect_call answers it (wait = answer time − entered);
// delete_call ends it: abandoned if it was never answered (and short
// abandoned too when it waited less than Options.ShortAbandon), else the
// handled call ends. The same insert twice, a connect before its insert and
// a delete for a call never seen count once or not at all.
//
// # Service level
//
// Calls answered within Options.ServiceLevelThreshold ÷ (answered +
// abandoned), where abandons shorter than Options.ShortAbandon count in
// neither. Undefined (ok = false) while the denominator is zero. The average
// speed of answer is the mean wait of today's answered calls.
//
// # Trunks
//
// Ringing = inserted and not connected, connected = connected and not
// deleted; today's total (calls seen), answered (connected) and missed
// (deleted while ringing).
//
// # Days
//
// Counters cover today in Options.Location: they reset at the first instant
// of each calendar date (midnight, or 01:00 where a DST change skips
// midnight) and say since when they count (that instant, or the board's
// creation if later). Live state is never reset. Calls with no event for
// CallTTL are swept. While the feed is not live, running figures are as of
// the moment it stopped being live (Board.AsOf): clocks stop, they do not
// tick on over calls that may have ended.
//
// # Outages
//
// What happened while the feed was down is not known. After it goes live
// again, agents whose state predates the outage are stale until an event
// refreshes them; calls (queue and trunk) that no update mentions within
// Options.StaleCallWindow of going live turn stale and leave the counts
// (waiting, longest wait, in progress, ringing, connected: the rows count
// them as StaleCalls instead), come back when an update mentions them, and
// are swept after Options.StaleCallSweep without one. A stale call never
// counts as abandoned or missed: its end was not seen. A board replayed
// from a journal that another process, live, goes on writing joins its
// day (Board.Join): its own start-up, until its feed is first live, is no
// outage, and makes nothing stale.
//
// # Time
//
// An event happened at the time it was applied minus its elapse field.
//
// # Order
//
// Agents, queues and trunks are listed by name as people read them, case
// and accents aside; names that differ only by them are ordered by accents,
// then case, then bytes, and rows with the same name by id. CompareNames
// gives the same order for any two names.
//
// # Caller numbers
//
// Options.CallerID (mask, full or hide) applies wherever the board gives a
// caller number: an agent's current call, the snapshot, and the event log,
// whose raw payloads and rejection notes Events returns with their caller
// numbers treated (the values of caller_id_num and its likes, and that same
// number anywhere else in the entry). Recordings are the feed's, and keep
// the payloads as they arrived.
package state
