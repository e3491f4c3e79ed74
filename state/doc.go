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
// answered (inbound queue calls counted answered in their queue, credited
// once to the agent connect_call names, else to the agent whose connected
// status names the call: the agents' answered add up to the queues'),
// outbound calls (status calling, then connected on the same call), seconds
// on call, seconds paused. A call already running when first seen counts in
// neither. A connected status with call_duration began that long before
// it was received (or at its event, if earlier), though not before the
// agent's previous event: the time in
// state, and the limits, count from there. After an outage, an event that
// describes an agent's state as it was before (the burst after init) keeps
// its time in state rather than starting it over.
//
// # Queues
//
// insert_call puts a call in the queue, entered at the event time minus
// duration_in_queue; connect_call answers it (wait = answer time − entered);
// delete_call ends it: abandoned if it was never answered (and short
// abandoned too when it waited less than its queue's short abandon), else the
// handled call ends. The same insert twice and a delete for a call never
// seen count once or not at all.
//
// A call first seen already answered (connect_call, no insert seen, or a
// connect_call dated before the board began to look: the first time the
// feed went live, else its creation) was on the line before the board
// looked: it is not offered, answered or
// abandoned, gives no wait to the ASA or the service level, counts in no
// interval and no agent's answered; it counts in AnsweredBeforeStart only,
// and is OutcomeBeforeStart in the report. A call first seen waiting is
// offered as any other. A journal replayed at start saw its calls enter.
//
// A call is one call: swept (stale or CallTTL) and heard of again the same
// day, it comes back as it was (offered once, one record). A call counts in
// the day it entered: after midnight, its answer or end counts in no
// figure of the new day and it is not in the new day's report; it is in
// Report.Carried, followed to its end, for Settle to make its day's report
// final.
//
// # Service level
//
// Each queue has its rule (QueueRule): Options.QueueRules by the queue's
// id, else by its name when one queue of the directory alone bears it (a
// name two queues bear is ignored, and said in RuleNotes), each field it
// leaves zero from Options' ServiceLevelThreshold, ShortAbandon,
// ServiceLevelTarget and ServiceLevelFormula. A call is counted under its
// queue's rule as it stands when the call is counted: answered within the
// threshold T (wait ≤ T), short abandoned (left after a wait < the short
// abandon). The service level is the calls answered within T divided by,
// as the queue's formula says:
//
//   - answered (the default): answered + abandoned − short abandoned;
//   - offered: answered + abandoned (short ones too) + the calls waiting
//     now longer than T (they can no longer be answered within it); a call
//     waiting T or less is not counted yet, one whose end is not known
//     (OutcomeUnknown) never;
//   - answered_only: answered.
//
// E.g. 9 answered (7 within T), 4 abandoned (2 short), one caller waiting
// 50 s past T = 20 s: answered 7 ÷ 11 = 63.6 %, offered 7 ÷ 14 = 50.0 %,
// answered_only 7 ÷ 9 = 77.8 %. Undefined (ok = false) while the
// denominator is zero. Totals, and an interval's total, are the queues'
// calls within T summed ÷ their denominators summed, each queue's under
// its own rule; an interval counts a call where it ended (answered or
// abandoned), so a call waiting is in no interval's denominator yet. A
// queue's level is against its target: at or above it ok, below it warn,
// at or below its thresholds' ServiceLevelCritical critical (without a
// target, its thresholds' warn and critical as before). A hidden queue is
// left off the rows (Queues, the intervals' queues) and counted in every
// total (Totals.HiddenQueues says how many). The average speed of answer
// is the mean wait of today's answered calls.
//
// # Trunks
//
// Ringing = inserted and not connected, connected = connected and not
// deleted; today's total (calls seen entering), answered (connected) and
// missed (deleted while ringing). A trunk call first seen connected counts
// in AnsweredBeforeStart only.
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
// are swept after Options.StaleCallSweep without one (mentioned after that,
// the same call comes back). A stale call never counts as abandoned or
// missed, not even when its end is heard later (it may have been answered
// unseen), unless an insert_call said it was still waiting since. A board
// replayed from a journal that another process, live, goes on writing
// joins its day (Board.Join): its own start-up, until its feed is first
// live, is no outage, and makes nothing stale.
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
// A call lost today is reached when a call from the same caller is
// answered later in any queue, or an agent calls it (operator calling, a
// PUSHCALL naming it). Callers are the same when their numbers are, read
// as phone numbers with Options.Country as the region of national ones
// (0612345678, 33612345678 and +33612345678 are one caller), by their
// digits when the number cannot be read as one. A withheld caller (a
// number without a digit other than 0: empty, "anonymous"…) is neither
// reached nor to call back: ReachedWithheld.
//
// Options.CallerID (mask, full or hide) applies wherever the board gives a
// caller number: an agent's current call, the snapshot, and the event log,
// whose raw payloads and rejection notes Events returns with their caller
// numbers treated (the values of caller_id_num and its likes, and that same
// number anywhere else in the entry). Recordings are the feed's, and keep
// the payloads as they arrived.
//
// A scope (Scope: queues and agent groups, by id or name; in Axialys a
// queue is an agent group) is applied where a view is made for its
// audience: View.For cuts the view to the agents of its groups, its
// queues, their calls, the events about them and nothing outside, the
// Day's intervals of its queues, the alerts on them, and sums its totals,
// service level, ASA, intervals' means and last hour again over the
// scope, each queue under its own rule; an audience's CallerID stricter
// than the board's applies to every number of its view (README, "Scopes").
package state
