package api

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The one-time links printed on the console or handed over by an admin
// (/setup/TOKEN, /reset/TOKEN) open these two small pages: a plain HTML
// form, no script, posting back to the same address. They are not API
// routes; the JSON API (POST /api/v1/setup, /api/v1/password-reset) does
// the same for programs.

var linkPage = template.Must(template.New("link").Parse(`<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{.TitleEN}} · پیشران</title></head>
<body><main>
<h1>{{.TitleFA}} <small dir="ltr">({{.TitleEN}})</small></h1>
{{if .Done}}<p>{{.DoneFA}}</p><p dir="ltr">{{.DoneEN}}</p><p><a href="/">پیشران · Pishran</a></p>
{{else}}{{if .ErrEN}}<p role="alert"><strong>{{.ErrFA}}</strong><br><span dir="ltr">{{.ErrEN}}</span></p>{{end}}
<form method="post">
{{if .Setup}}<p><label>نام کاربری · Username<br><input name="username" required autocomplete="username" dir="ltr" value="{{.Username}}"></label></p>
<p><label>نام نمایشی (فارسی) · Display name (Persian)<br><input name="display_fa" value="{{.DisplayFA}}"></label></p>
<p><label>نام نمایشی (انگلیسی) · Display name (English)<br><input name="display_en" dir="ltr" value="{{.DisplayEN}}"></label></p>{{end}}
<p><label>گذرواژه (دست‌کم ۱۲ نویسه) · Password (at least 12 characters)<br><input type="password" name="password" required minlength="12" autocomplete="new-password" dir="ltr"></label></p>
<p><button type="submit">{{.ButtonFA}} · {{.ButtonEN}}</button></p>
</form>{{end}}
</main></body></html>
`))

type linkPageData struct {
	Setup                                bool
	TitleFA, TitleEN, ButtonFA, ButtonEN string
	DoneFA, DoneEN                       string
	Done                                 bool
	ErrFA, ErrEN                         string
	Username, DisplayFA, DisplayEN       string
}

// linkPages serves GET and POST /setup/{token} and /reset/{token}.
func (s *Server) linkPages() {
	s.mux.Handle("GET /setup/{token}", s.linkPage(true))
	s.mux.Handle("POST /setup/{token}", s.linkPage(true))
	s.mux.Handle("GET /reset/{token}", s.linkPage(false))
	s.mux.Handle("POST /reset/{token}", s.linkPage(false))
}

func (s *Server) linkPage(setup bool) http.Handler {
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
		w.Header().Set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = s.linkPagePost(w, r, setup, &d)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if err := linkPage.Execute(w, d); err != nil {
			s.log.Error("link page", "err", err)
		}
	})
}

// linkPagePost spends the link with the form's fields and returns the
// page's status.
func (s *Server) linkPagePost(w http.ResponseWriter, r *http.Request, setup bool, d *linkPageData) int {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		d.ErrFA, d.ErrEN = "فرم خوانا نیست", "the form cannot be read"
		return http.StatusBadRequest
	}
	if err := s.throttled(r); err != nil {
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
		sess, err = s.svc.Setup(r.Context(), token, u, password, clientOf(r), s.auth.policy)
	} else {
		sess, err = s.svc.ResetPassword(r.Context(), token, password, clientOf(r), s.auth.policy)
	}
	if err = s.counted(r, err); err != nil {
		if e, ok := domain.AsError(err); ok {
			d.ErrFA, d.ErrEN = e.Message.FA, e.Message.EN
			if e.Field != "" {
				d.ErrEN = e.Field + ": " + e.Message.EN
			}
			return kindStatus[e.Kind]
		}
		s.log.Error("link page", "err", err)
		d.ErrFA, d.ErrEN = "خطای داخلی", "internal error"
		return http.StatusInternalServerError
	}
	s.setSession(w, r, sess.Secret)
	d.Done = true
	return http.StatusOK
}
