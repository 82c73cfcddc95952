package service_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/mailtest"
	"github.com/pishran/pishran/internal/testkit/mailtest/mailsend"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

const mailBase = "https://pishran.example.ir"

var (
	secActor = service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	mohActor = service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
)

// mailEnv is the staff scenario with e-mail on, through a real SMTP server
// in the process, and a clock the test moves.
type mailEnv struct {
	*scenario.Staff
	mail  *mailtest.Server
	clock *testkit.Clock
}

func newMailEnv(t *testing.T, e testkit.Engine) *mailEnv {
	return newMailEnvAt(t, e.DSN(t))
}

// newMailEnvAt is newMailEnv over the database at dsn, which a second
// instance may open too.
func newMailEnvAt(t *testing.T, dsn string) *mailEnv {
	db, err := store.Open(context.Background(), dsn)
	testkit.Must(t, err)
	t.Cleanup(func() { db.Close() })
	env := scenario.Over(t, db).LoadReference()
	se := env.Staff()
	m := &mailEnv{Staff: se, mail: mailtest.Start(t), clock: testkit.NewClock(time.Now()).On(env.DB)}
	m.setNotify(env.Svc, mailsend.Sender(t, m.mail))
	return m
}

func (m *mailEnv) setNotify(svc *service.Service, s notice.Sender) {
	svc.SetNotify(service.Notify{Sender: s, BaseURL: mailBase, From: mailsend.Config(m.mail).From, Lease: time.Minute, Batch: 20})
}

// focal adds a focal point of agency with an e-mail address (no password:
// none is needed here).
func (m *mailEnv) focal(t *testing.T, name, agency string) {
	t.Helper()
	_, err := m.Svc.CreateUser(m.Ctx, service.System, &domain.User{Username: name, DisplayName: domain.T("مریم "+name, "Maryam "+name),
		Email: name + "@" + agency + ".example.ir", Role: string(service.RoleAgency), Agency: agency, Active: true}, "")
	testkit.Must(t, err)
}

// returnReport has moh submit its draft and the secretariat return it.
func (m *mailEnv) returnReport(t *testing.T) {
	t.Helper()
	_, err := m.Svc.SubmitReport(m.Ctx, mohActor, m.MohReport, 0)
	testkit.Must(t, err)
	_, err = m.Svc.ReturnReport(m.Ctx, secActor, m.MohReport, 0, domain.T("ستون هزینه را کامل کنید", "Fill in the cost column"))
	testkit.Must(t, err)
}

func (m *mailEnv) deliver(t *testing.T, svc *service.Service, instance string) int {
	t.Helper()
	n, err := svc.DeliverNotices(m.Ctx, instance)
	testkit.Must(t, err)
	return n
}

// A returned report reaches its agency's focal point by e-mail through a
// real SMTP server (STARTTLS, authenticated): the headers (bilingual
// subject, Message-ID and X-Pishran-Notice from the key, the RFC 8058
// unsubscribe pair), both parts, right-to-left Persian first, Persian
// digits and the Jalali month, the exact page; the daily job's overdue
// action gives its Jalali due date; the unsubscribe link turns e-mail off
// without signing in, and later events then reach the inbox only.
func TestNoticeByMail(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		m := newMailEnv(t, e)
		m.focal(t, "maryam", "moh")
		m.returnReport(t)
		if n := m.deliver(t, m.Svc, "a"); n != 1 {
			t.Fatalf("sent %d notices, want 1 (maryam; moh-focal has no address)", n)
		}
		got := m.mail.Messages()
		if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "maryam@moh.example.ir" || !got[0].TLS {
			t.Fatalf("received %+v", got)
		}
		msg := mailtest.Parse(t, got[0].Data)
		h := msg.Header
		id := strconv.FormatInt(m.MohReport, 10)
		key := h.Get(notice.HeaderNotice)
		if !strings.HasPrefix(key, "report-returned/"+id+"/") || !strings.HasSuffix(key, "/maryam") {
			t.Errorf("%s: %q", notice.HeaderNotice, key)
		}
		if mid := h.Get("Message-Id"); !strings.HasPrefix(mid, "<") || !strings.HasSuffix(mid, "@pishran.example.ir>") {
			t.Errorf("Message-ID %q", mid)
		}
		y, mo, _ := strings.Cut(string(m.LastMonth), "-")
		mn, _ := strconv.Atoi(mo)
		faMonth, _ := jalali.MonthName(mn)
		faPeriod := faMonth + " " + jalali.PersianDigits(y)
		if !strings.Contains(msg.Subject, faPeriod) || !strings.Contains(msg.Subject, " — ") || !strings.Contains(msg.Subject, "returned for changes") ||
			strings.Index(msg.Subject, "نسخه الکترونیک") > strings.Index(msg.Subject, "Electronic prescription") {
			t.Errorf("subject %q: want Persian (%s) first, then English", msg.Subject, faPeriod)
		}
		unsub := h.Get("List-Unsubscribe")
		if !strings.HasPrefix(unsub, "<"+mailBase+"/unsubscribe?t=") || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("unsubscribe headers %q, %q", unsub, h.Get("List-Unsubscribe-Post"))
		}
		if msg.ContentType != "multipart/alternative" || strings.Join(msg.PartTypes, ",") != "text/plain,text/html" {
			t.Errorf("structure %s %v", msg.ContentType, msg.PartTypes)
		}
		link := mailBase + "/staff/reports/" + id + "/edit"
		for part, body := range map[string]string{"text": msg.Text, "html": msg.HTML} {
			if !strings.Contains(body, link) {
				t.Errorf("%s part has no link to %s", part, link)
			}
			fa, en := strings.Index(body, "ستون هزینه را کامل کنید"), strings.Index(body, "Fill in the cost column")
			if fa < 0 || en < 0 || fa > en {
				t.Errorf("%s part: the comment in Persian at %d, English at %d: want both, Persian first", part, fa, en)
			}
			if !strings.Contains(body, faPeriod) {
				t.Errorf("%s part lacks the Jalali month in Persian digits %q", part, faPeriod)
			}
		}
		if !regexp.MustCompile(`<html[^>]*lang="fa"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="fa"`).MatchString(msg.HTML) ||
			!strings.Contains(msg.HTML, `dir="ltr"`) {
			t.Errorf("HTML part is not right-to-left Persian with an English block:\n%.600s", msg.HTML)
		}

		// The same notice is in both focal points' inboxes, unread.
		for _, who := range []string{"maryam", "moh-focal"} {
			ns, unread, err := m.Svc.MyNotices(m.Ctx, service.Actor{Name: "user:" + who, Role: service.RoleAgency, Agency: "moh"}, 10)
			testkit.Must(t, err)
			if len(ns) != 1 || unread != 1 || ns[0].Notice.Kind != notice.ReportReturned || ns[0].Notice.Path != "/staff/reports/"+id+"/edit" {
				t.Errorf("%s's inbox notices: %+v (%d unread)", who, ns, unread)
			}
		}

		// The daily job: the action overdue since five days, with its
		// Jalali due date in Persian digits.
		_, err := m.Svc.RunDueJobs(m.Ctx, "a", m.clock.Now())
		testkit.Must(t, err)
		m.deliver(t, m.Svc, "a")
		due := m.Today.AddDays(-5)
		jy, jm, jd := jalali.FromGregorian(due.Y, due.M, due.D)
		mname, _ := jalali.MonthName(jm)
		faDue := jalali.PersianDigits(fmt.Sprintf("%d %s %d", jd, mname, jy))
		var action *mailtest.Mail
		for _, r := range m.mail.Messages() {
			if p := mailtest.Parse(t, r.Data); strings.HasPrefix(p.Header.Get(notice.HeaderNotice), "action-overdue/"+strconv.FormatInt(m.Action, 10)+"/") {
				action = p
			}
		}
		if action == nil {
			t.Fatalf("no action-overdue e-mail among %d", len(m.mail.Messages()))
		}
		if !strings.Contains(action.Text, faDue) || !strings.Contains(action.HTML, faDue) || !strings.Contains(action.Text, due.String()) ||
			!strings.Contains(action.Text, mailBase+"/staff/meetings/itec-29") {
			t.Errorf("action e-mail lacks %q / %s / its link:\n%s", faDue, due, action.Text)
		}
		// A second run of the job (another day) sends nothing again (it
		// may send what newly came due).
		before := len(m.mail.Messages())
		_, err = m.Svc.RunDueJobs(m.Ctx, "a", m.clock.Now().Add(24*time.Hour))
		testkit.Must(t, err)
		m.deliver(t, m.Svc, "a")
		keys := map[string]int{}
		for _, r := range m.mail.Messages() {
			keys[mailtest.Parse(t, r.Data).Header.Get(notice.HeaderNotice)]++
		}
		for k, n := range keys {
			if n > 1 {
				t.Errorf("the next day's run sent %s again (%d times in all)", k, n)
			}
		}

		// Unsubscribe: a forged token is refused, the real one turns
		// e-mail off (twice is harmless), and the next event reaches the
		// inbox only.
		token := strings.TrimSuffix(strings.TrimPrefix(unsub, "<"+mailBase+"/unsubscribe?t="), ">")
		// The MAC's first character changed: six bits of it, always (its
		// last two characters, as this forged it before, were "AA" in one
		// token in 256, and then the forgery was the token itself).
		dot := strings.IndexByte(token, '.')
		forged := []byte(token)
		if forged[dot+1] == 'A' {
			forged[dot+1] = 'B'
		} else {
			forged[dot+1] = 'A'
		}
		if _, err := m.Svc.Unsubscribe(m.Ctx, string(forged)); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("forged token: %v", err)
		}
		for range 2 {
			who, err := m.Svc.Unsubscribe(m.Ctx, token)
			if err != nil || who != "maryam" {
				t.Fatalf("unsubscribe: %q %v", who, err)
			}
		}
		maryam := service.Actor{Name: "user:maryam", Role: service.RoleAgency, Agency: "moh"}
		p, err := m.Svc.MyNoticePrefs(m.Ctx, maryam)
		if err != nil || p.Mode != store.NoticeOff {
			t.Fatalf("prefs after unsubscribing: %+v %v", p, err)
		}
		before = len(m.mail.Messages())
		_, err = m.Svc.SubmitReport(m.Ctx, mohActor, m.MohReport, 0)
		testkit.Must(t, err)
		_, err = m.Svc.AcceptReport(m.Ctx, secActor, m.MohReport, 0, domain.Text{})
		testkit.Must(t, err)
		m.deliver(t, m.Svc, "a")
		if after := len(m.mail.Messages()); after != before {
			t.Errorf("an unsubscribed person got %d e-mails", after-before)
		}
		ns, _, err := m.Svc.MyNotices(m.Ctx, maryam, 50)
		testkit.Must(t, err)
		if len(ns) == 0 || ns[0].Notice.Kind != notice.ReportAccepted {
			t.Errorf("the acceptance is not in the inbox: %+v", ns)
		}
		testkit.Must(t, m.Svc.MarkNoticesRead(m.Ctx, maryam, 0))
		if n, err := m.Svc.UnreadNotices(m.Ctx, maryam); err != nil || n != 0 {
			t.Errorf("unread after marking all read: %d %v", n, err)
		}
	})
}

// dyingSender sends through the real sender, and on its after-th message,
// once the server has it, stops for good — as a process killed between the
// send and the mark would.
type dyingSender struct {
	real  notice.Sender
	after int
	mu    sync.Mutex
	n     int
	died  chan string // the key of the message in flight
	wake  chan struct{}
}

func (d *dyingSender) Send(ctx context.Context, m *notice.Message) error {
	d.mu.Lock()
	d.n++
	n := d.n
	d.mu.Unlock()
	err := d.real.Send(ctx, m)
	if n == d.after {
		d.died <- m.Key
		<-d.wake // never, until the test ends
	}
	return err
}

// A worker killed mid-batch, after the server took a message and before
// it was marked: while its lease holds no other worker takes its notices;
// once it runs out another sends every notice not marked — nothing is
// lost, and only the one in flight arrives twice, with the same
// X-Pishran-Notice key and Message-ID.
func TestNoticeWorkerKilledMidBatch(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		m := newMailEnv(t, e)
		const people = 7
		for i := range people {
			m.focal(t, "fp"+strconv.Itoa(i), "moh")
		}
		m.returnReport(t)
		dying := &dyingSender{real: mailsend.Sender(t, m.mail), after: 3, died: make(chan string, 1), wake: make(chan struct{})}
		m.setNotify(m.Svc, dying)
		ctx, cancel := context.WithCancel(m.Ctx)
		done := make(chan struct{})
		go func() { m.Svc.DeliverNotices(ctx, "a"); close(done) }()
		// When the test ends the dead worker wakes to a cancelled context
		// and stops, before the database closes.
		t.Cleanup(func() { cancel(); close(dying.wake); <-done })
		var inFlight string
		select {
		case inFlight = <-dying.died:
		case <-time.After(30 * time.Second):
			t.Fatal("the worker never sent its third message")
		}
		if got := len(m.mail.Messages()); got != 3 {
			t.Fatalf("%d messages before the death, want 3", got)
		}
		// The lease holds: another worker finds nothing to take.
		b := scenario.Over(t, m.DB).Svc // another instance
		m.setNotify(b, mailsend.Sender(t, m.mail))
		if n := m.deliver(t, b, "b"); n != 0 {
			t.Fatalf("worker b sent %d notices while a's lease held", n)
		}
		m.clock.Advance(time.Minute + time.Second)
		if n := m.deliver(t, b, "b"); n != people-2 {
			t.Fatalf("worker b sent %d after the lease ran out, want %d (the unsent and the one in flight)", n, people-2)
		}
		seen := map[string]int{}
		ids := map[string]map[string]bool{}
		for _, r := range m.mail.Messages() {
			p := mailtest.Parse(t, r.Data)
			k := p.Header.Get(notice.HeaderNotice)
			seen[k]++
			if ids[k] == nil {
				ids[k] = map[string]bool{}
			}
			ids[k][p.Header.Get("Message-Id")] = true
		}
		if len(seen) != people {
			t.Errorf("%d distinct notices arrived, want %d: %v", len(seen), people, seen)
		}
		for k, n := range seen {
			want := 1
			if k == inFlight {
				want = 2
			}
			if n != want || len(ids[k]) != 1 {
				t.Errorf("%s arrived %d times with %d Message-IDs, want %d with one", k, n, len(ids[k]), want)
			}
		}
		var left map[string]int
		testkit.Must(t, m.DB.View(m.Ctx, func(tx *store.Tx) (err error) { left, err = tx.OutboxCounts(); return err }))
		if left[store.OutboxSent] != people || left[store.OutboxPending] != 0 {
			t.Errorf("outbox after the takeover: %v", left)
		}
	})
}

// slowSender takes its time over each message, so two workers overlap.
type slowSender struct{ real notice.Sender }

func (s slowSender) Send(ctx context.Context, m *notice.Message) error {
	time.Sleep(5 * time.Millisecond)
	return s.real.Send(ctx, m)
}

// Two instances on one database drain the outbox together, each notice
// sent by exactly one of them.
func TestNoticeTwoInstances(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		m := newMailEnvAt(t, dsn)
		const people = 24
		for i := range people {
			m.focal(t, "fp"+strconv.Itoa(i), "moh")
		}
		m.returnReport(t)
		db2, err := store.Open(m.Ctx, dsn) // a second instance: a pool of its own on the same database
		testkit.Must(t, err)
		t.Cleanup(func() { db2.Close() })
		svcB := scenario.Over(t, db2).Svc
		for _, svc := range []*service.Service{m.Svc, svcB} {
			svc.SetNotify(service.Notify{Sender: slowSender{mailsend.Sender(t, m.mail)}, BaseURL: mailBase, From: mailsend.Config(m.mail).From, Batch: 3, Lease: time.Minute})
		}
		var wg sync.WaitGroup
		for i, svc := range []*service.Service{m.Svc, svcB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := svc.DeliverNotices(m.Ctx, "w"+strconv.Itoa(i))
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, r := range m.mail.Messages() {
			seen[mailtest.Parse(t, r.Data).Header.Get(notice.HeaderNotice)]++
		}
		if len(seen) != people {
			t.Errorf("%d distinct notices arrived, want %d", len(seen), people)
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("%s sent %d times", k, n)
			}
		}
	})
}

// A person who chose the daily digest gets no e-mail per event: the day's
// notices arrive in one digest from the daily job, each item linked to its
// page; those who chose nothing get none, and the inbox has them all.
func TestNoticeDigest(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		m := newMailEnv(t, e)
		m.focal(t, "maryam", "moh")
		m.focal(t, "omid", "moh")
		maryam := service.Actor{Name: "user:maryam", Role: service.RoleAgency, Agency: "moh"}
		omid := service.Actor{Name: "user:omid", Role: service.RoleAgency, Agency: "moh"}
		testkit.Must(t, m.Svc.SetMyNoticePrefs(m.Ctx, maryam, service.NoticePrefs{Mode: store.NoticeDaily}))
		testkit.Must(t, m.Svc.SetMyNoticePrefs(m.Ctx, omid, service.NoticePrefs{Mode: store.NoticeOff}))
		if err := m.Svc.SetMyNoticePrefs(m.Ctx, omid, service.NoticePrefs{Mode: store.NoticeDaily}); !domain.IsKind(err, domain.KindStale) {
			t.Errorf("a stale choice: %v", err)
		}
		m.returnReport(t)
		if n := m.deliver(t, m.Svc, "a"); n != 0 {
			t.Fatalf("sent %d at once to people who chose a digest or nothing", n)
		}
		m.clock.Advance(time.Hour)
		_, err := m.Svc.RunDueJobs(m.Ctx, "a", m.clock.Now())
		testkit.Must(t, err)
		if n := m.deliver(t, m.Svc, "a"); n != 1 {
			t.Fatalf("sent %d, want one digest", n)
		}
		got := m.mail.Messages()
		if len(got) != 1 || got[0].To[0] != "maryam@moh.example.ir" {
			t.Fatalf("received %+v", got)
		}
		d := mailtest.Parse(t, got[0].Data)
		if !strings.HasPrefix(d.Header.Get(notice.HeaderNotice), "digest/maryam/") || !strings.Contains(d.Text, "/staff/reports/"+strconv.FormatInt(m.MohReport, 10)+"/edit") ||
			!strings.Contains(d.Text, mailBase+"/staff/meetings/itec-29") {
			t.Errorf("the digest:\n%s", d.Text)
		}
		for _, a := range []service.Actor{maryam, omid} {
			ns, _, err := m.Svc.MyNotices(m.Ctx, a, 50)
			testkit.Must(t, err)
			if len(ns) < 2 {
				t.Errorf("%s's inbox has %d notices, want the returned report and the overdue action at least", a.Name, len(ns))
			}
		}
		// Tomorrow's run bundles nothing again.
		_, err = m.Svc.RunDueJobs(m.Ctx, "a", m.clock.Now().Add(24*time.Hour))
		testkit.Must(t, err)
		if n := m.deliver(t, m.Svc, "a"); n != 0 {
			t.Errorf("the next day sent %d", n)
		}
	})
}

// A decision naming a confidential project reaches only the focal points
// who may read every project it names: the agency not on the confidential
// project gets neither an e-mail nor an inbox notice.
func TestNoticeConfidentialDecision(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		m := newMailEnv(t, e)
		for _, who := range [][2]string{{"maryam", "moh"}, {"taha", "tax"}, {"iman", "ito"}} {
			m.focal(t, who[0], who[1])
		}
		_, _, err := m.Svc.RecordOutcome(m.Ctx, secActor, "itec-29", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "7",
			Text: domain.T("هر دو نسخه یکی شوند", "Merge both prescriptions"), Projects: []string{"e-rx", "secret-rx"}})
		testkit.Must(t, err)
		m.deliver(t, m.Svc, "a")
		to := map[string]bool{}
		for _, r := range m.mail.Messages() {
			to[r.To[0]] = true
			if p := mailtest.Parse(t, r.Data); !strings.Contains(p.Text, mailBase+"/staff/meetings/itec-29") || !strings.Contains(p.Text, "Merge both prescriptions") {
				t.Errorf("the decision e-mail:\n%s", p.Text)
			}
		}
		if to["maryam@moh.example.ir"] || !to["taha@tax.example.ir"] || !to["iman@ito.example.ir"] || len(to) != 2 {
			t.Errorf("the decision reached %v; want tax's and ito's focal points, not moh's", to)
		}
		ns, _, err := m.Svc.MyNotices(m.Ctx, service.Actor{Name: "user:maryam", Role: service.RoleAgency, Agency: "moh"}, 10)
		testkit.Must(t, err)
		for _, n := range ns {
			if n.Notice.Kind == notice.DecisionMade {
				t.Errorf("moh's inbox holds the decision naming the confidential project: %+v", n.Notice)
			}
		}
	})
}

// Saving a planned session's agenda tells the focal points of the agencies
// it concerns, once: saving it again raises nothing more.
func TestNoticeAgenda(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		m := newMailEnv(t, e)
		m.focal(t, "maryam", "moh")
		m.focal(t, "taha", "tax")
		for range 2 {
			mt, err := m.Svc.Meeting(m.Ctx, secActor, "itec-30")
			testkit.Must(t, err)
			_, err = m.Svc.SaveAgenda(m.Ctx, secActor, "itec-30", mt.Version, []domain.AgendaItem{{Kind: domain.AgendaAction, Action: m.Action}})
			testkit.Must(t, err)
			m.deliver(t, m.Svc, "a")
		}
		got := m.mail.Messages()
		if len(got) != 1 || got[0].To[0] != "maryam@moh.example.ir" {
			t.Fatalf("the agenda reached %d: %+v", len(got), got)
		}
		p := mailtest.Parse(t, got[0].Data)
		if !strings.Contains(p.Subject, "Thirtieth session") || !strings.Contains(p.Subject, "جلسه سی‌ام") ||
			!strings.Contains(p.HTML, mailBase+"/staff/meetings/itec-30") {
			t.Errorf("the agenda e-mail: %s\n%s", p.Subject, p.Text)
		}
	})
}
