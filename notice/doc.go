// Package notice composes Pishran's notices — the e-mails that tell a person
// what they owe or what happened — and sends them over SMTP.
//
// It is the pure core of notifications: it knows no database and no HTTP.
// The integration (an outbox table in store, events raised in service, an
// inbox page in web, flags in cmd) builds on it as follows.
//
// # Composing
//
// A Notice is one event for one recipient: its Kind, an idempotency Key, the
// person, the exact page it is about (Path, relative to the base URL) and the
// facts the text needs (project, agency, Jalali reporting month, due date,
// comment, meeting, decision, link expiry). A Composer turns it into a
// Message: a multipart/alternative e-mail, Persian first and English beside
// it, a plain-text part and an HTML part (<html lang="fa" dir="rtl">, the
// English in a dir="ltr" lang="en" block), dates in the Jalali calendar with
// Persian digits and Tehran time in the Persian part and ISO forms in the
// English part, absolute links to the page, a bilingual subject
// ("فارسی — English"), a Message-ID derived from the key, the key itself in
// the X-Pishran-Notice header, and — for the follow-up notices, not for the
// set-password and reset links a person cannot opt out of — an unsubscribe
// link in both parts plus the RFC 8058 one-click headers (List-Unsubscribe,
// List-Unsubscribe-Post). A Digest notice bundles several notices of one
// person into the daily e-mail. Notices are JSON-serialisable: the outbox
// stores the Notice and composes at send time, so a fixed template reaches
// the notices still waiting.
//
// Unsubscribe tokens (UnsubscribeToken, VerifyUnsubscribe) are HMAC-signed
// usernames, so the unsubscribe page works without signing in; the web layer
// answers GET with a confirmation page and POST (the one-click body
// "List-Unsubscribe=One-Click") by turning the person's e-mail off.
//
// # Delivering: the outbox worker
//
// Delivery is at least once, with an idempotency key:
//
//  1. A service write that raises an event inserts the notice into the
//     outbox in the same transaction as the write, with a unique Key (see
//     Key: kind, subject and recipient, and the period or due date for
//     reminders), so raising the same event twice inserts it once
//     (INSERT … ON CONFLICT (key) DO NOTHING).
//  2. A worker claims a batch with a lease (like the jobs: claimed_by,
//     lease_until, attempt+1 in one UPDATE), composes each Message and calls
//     Sender.Send.
//  3. On success it marks the row sent. On error it calls Classify:
//     Temporary → next_attempt = now + Backoff(attempt); when Backoff says
//     give up, or on Permanent, the row is marked failed and shown to admins
//     with the error; Setup (authentication or TLS refused: the
//     configuration is wrong, not the message) → keep the row, back off, and
//     raise an admin alert, since no message can go until it is fixed.
//  4. A worker that dies between send and mark leaves the row claimed; when
//     the lease runs out another worker sends it again. That resend carries
//     the same Message-ID and X-Pishran-Notice header, so the person's mail
//     system (and a reader) can recognise the duplicate. Nothing is lost;
//     at most the notices in flight at a crash are sent twice.
//
// # Configuration
//
// Config holds the SMTP settings; ConfigFromLookup reads them from the
// PISHRAN_SMTP_* environment (or any lookup function, such as one backed by
// flags). E-mail is off unless a host is set. TLS is STARTTLS (required) or
// implicit TLS; no TLS is allowed only towards a loopback address, for
// tests.
package notice
