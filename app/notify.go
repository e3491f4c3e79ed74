package app

import (
	"callboard/config"
	"callboard/notify"
	"callboard/state"
)

// notifier is a session's sender of the alerts out of the board ([notify],
// package notify), and the goroutine that feeds it the hub's views.
type notifier struct {
	sender  *notify.Sender
	started bool          // the views are read (startNotify)
	done    chan struct{} // closed once they are no longer read
}

// newNotifier makes the sender of n for the board src names, its webhook
// posted through the proxy the environment names (as the service's
// requests go), with ca_file's authorities. Its deliveries' troubles are
// said (say), as password_command's messages are.
func newNotifier(n config.Notify, src *source, title string, say func(string)) (*notifier, error) {
	o := notify.Options{Config: n, Location: src.board.Location, Board: title, Account: src.feed.Login, Log: say}
	s, err := notify.New(o)
	if err != nil {
		return nil, err
	}
	return &notifier{sender: s, done: make(chan struct{})}, nil
}

// startNotify has the session's sender read its hub's views until the
// session's context ends.
func (s *Session) startNotify() {
	views := s.Hub.Subscribe()
	s.notify.started = true
	go func() {
		defer close(s.notify.done)
		defer views.Close()
		s.notify.sender.Run(s.ctx, views.C)
	}()
}

// closeNotify ends the session's sender once its road has stopped: the
// board's last view is read (what changed as it stopped), then what is
// queued is delivered until the session's end deadline.
func (s *Session) closeNotify() {
	if s.notify == nil {
		return
	}
	n := s.notify
	s.notify = nil
	if n.started {
		<-n.done
		n.sender.Observe(s.Hub.Latest())
	}
	n.sender.Close(s.Ending())
}

// NotifyHealth is how the session's alerts are sent out; zero when it
// sends none (no [notify], or the session writes no journal).
func (s *Session) NotifyHealth() state.NotifyHealth {
	if s.notify == nil {
		return state.NotifyHealth{}
	}
	return s.notify.sender.Health()
}
