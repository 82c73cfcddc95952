package domain

// Seal is where a published record can be checked: the verification code of
// the signed document it was published as (the newest, when it was
// published again after a correction) and the address of that document's
// verification page. Both are empty for a record not published: a decision
// of a meeting not yet closed, one about a project that is not public, a
// report not accepted. The service fills the code; the HTTP layer, which
// knows the server's address, fills the URL.
type Seal struct {
	VerificationCode string `json:"verification_code,omitempty"`
	VerifyURL        string `json:"verify_url,omitempty"`
}

// Locate sets the verification page's address on base (the server's public
// URL, or scheme and host); nothing when there is no code.
func (s *Seal) Locate(base string) {
	if s.VerificationCode == "" {
		s.VerifyURL = ""
		return
	}
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	s.VerifyURL = base + "/verify/" + s.VerificationCode
}
