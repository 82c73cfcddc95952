// Package seal is what a signed document shows so that anyone holding it
// can check it: its verification code, the address of its verification
// page (/verify/{code}) and a QR code of that address, drawn here as SVG so
// that a page or a printout needs no script and fetches nothing to show it.
// It is pure: it formats what it is given.
package seal

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"rsc.io/qr"
)

// Path is where a document's verification page is served.
func Path(code string) string { return "/verify/" + code }

// QRPath is where the QR code of a document's verification address is
// served as an SVG image.
func QRPath(code string) string { return Path(code) + "/qr.svg" }

// URL is the verification page's address on base (scheme and host, and a
// path prefix if any: the server's public URL); with an empty base it is
// the path alone.
func URL(base, code string) string {
	return strings.TrimSuffix(base, "/") + Path(code)
}

// quiet is the blank margin around the code, in modules: the standard's
// four, so a phone finds the code on a busy page.
const quiet = 4

// SVG draws text (the verification address) as a QR code, a standalone
// SVG document: black modules on white, one path, a square of side
// (modules + 8) user units scaled to px pixels.
func SVG(text string, px int) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := draw(&b, text, px, ""); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Inline draws the same QR code as an <svg> element to put inside an HTML
// page (presentation attributes only, no style: it passes a policy that
// forbids inline styles); label names it for screen readers.
func Inline(text string, px int, label string) (template.HTML, error) {
	var b bytes.Buffer
	if err := draw(&b, text, px, label); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func draw(b *bytes.Buffer, text string, px int, label string) error {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return fmt.Errorf("seal: QR code of %q: %w", text, err)
	}
	side := c.Size + 2*quiet
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img"`,
		side, side, px, px)
	if label != "" {
		b.WriteString(` aria-label="`)
		template.HTMLEscape(b, []byte(label))
		b.WriteString(`"`)
	}
	b.WriteString(`>`)
	if label != "" {
		b.WriteString(`<title>`)
		template.HTMLEscape(b, []byte(label))
		b.WriteString(`</title>`)
	}
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, side, side)
	// Each row's runs of black modules, one rectangle each.
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return nil
}
