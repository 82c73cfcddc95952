package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// The one-time links printed on the console or handed over by an admin
// (/setup/TOKEN, /reset/TOKEN) open these two small pages: a plain HTML
// form, no script, posting back to the same address. The JSON API (POST
// /api/v1/setup, /api/v1/password-reset) does the same for programs. They
// are not the site's pages (no layout, no language switch): whoever holds
// the link may read only one of the two languages.

var linkTmpl = template.Must(template.New("link.html.tmpl").ParseFS(templateFS, "templates/link.html.tmpl"))

type linkPageData struct {
	Setup                                bool
	TitleFA, TitleEN, ButtonFA, ButtonEN string
	DoneFA, DoneEN                       string
	Done                                 bool
	ErrFA, ErrEN                         string
	Username, DisplayFA, DisplayEN       string
}

// linkRoutes serves GET and POST /setup/{token} and /reset/{token}.
func (s *Site) linkRoutes() []Route {
	return []Route{
		{Pattern: "GET /setup/{token}", Handler: s.linkPage(true)},
		{Pattern: "POST /setup/{token}", Handler: s.linkPage(true)},
		{Pattern: "GET /reset/{token}", Handler: s.linkPage(false)},
		{Pattern: "POST /reset/{token}", Handler: s.linkPage(false)},
	}
}

func (s *Site) linkPage(setup bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := linkPageData{Setup: setup, TitleFA: "گذرواژه تازه", TitleEN: "Set your password", ButtonFA: "ثبت", ButtonEN: "Save",
			DoneFA: "گذرواژه ثبت شد و وارد شدید.", DoneEN: "Your password is set and you are signed in."}
		if setup {
			d.TitleFA, d.TitleEN = "ساخت نخستین مدیر", "Create the first admin"
			d.DoneFA, d.DoneEN = "مدیر ساخته شد و وارد شدید.", "The admin account is created and you are signed in."
		}
		// The token is in the address: keep it out of caches and referrers.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Content-Security-Policy", httpx.LinkCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = s.linkPagePost(w, r, setup, &d)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if err := linkTmpl.Execute(w, d); err != nil {
			s.log.Error("link page", "err", err)
		}
	})
}

// linkPagePost spends the link with the form's fields and returns the
// page's status.
func (s *Site) linkPagePost(w http.ResponseWriter, r *http.Request, setup bool, d *linkPageData) int {
	if err := httpx.ParseForm(w, r, 64<<10); err != nil {
		d.ErrFA, d.ErrEN = "فرم خوانا نیست", "the form cannot be read"
		return http.StatusBadRequest
	}
	if err := httpx.Throttle(s.limiter, r); err != nil {
		var lo *domain.LockedOut
		errors.As(err, &lo)
		d.ErrFA, d.ErrEN = "تلاش‌های ناموفق بیش از حد است؛ کمی بعد دوباره بکوشید", lo.Error()
		return http.StatusTooManyRequests
	}
	token, password := r.PathValue("token"), r.PostFormValue("password")
	var sess *service.Session
	var err error
	if setup {
		d.Username = strings.TrimSpace(r.PostFormValue("username"))
		d.DisplayFA, d.DisplayEN = r.PostFormValue("display_fa"), r.PostFormValue("display_en")
		u := &domain.User{Username: d.Username, DisplayName: domain.T(d.DisplayFA, d.DisplayEN)}
		sess, err = s.svc.Setup(r.Context(), token, u, password, httpx.Client(r), s.opt.Session)
	} else {
		sess, err = s.svc.ResetPassword(r.Context(), token, password, httpx.Client(r), s.opt.Session)
	}
	if err = httpx.Charge(s.limiter, r, err); err != nil {
		if e, ok := domain.AsError(err); ok {
			d.ErrFA, d.ErrEN = e.Message.FA, e.Message.EN
			if e.Field != "" {
				d.ErrEN = e.Field + ": " + e.Message.EN
			}
			return httpx.StatusOf(e.Kind)
		}
		s.log.Error("link page", "err", err)
		d.ErrFA, d.ErrEN = "خطای داخلی", "internal error"
		return http.StatusInternalServerError
	}
	httpx.SetSession(w, sess.Secret, s.secure(r))
	d.Done = true
	return http.StatusOK
}
