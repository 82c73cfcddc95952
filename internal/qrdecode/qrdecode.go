// Package qrdecode reads QR codes back, for tests: an image (a browser's
// screenshot of a page) or the SVG that package seal draws. It uses a port
// of ZXing, an implementation independent of the encoder, so a test that
// reads a code back shows that a phone would read it too. Only tests import
// it: it is not in the binary.
package qrdecode

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/png" // screenshots
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Image reads the QR code in an image.
func Image(img image.Image) (string, error) {
	return decode(img, gozxing.DecodeHintType_TRY_HARDER)
}

// decode reads img with ZXing's QR reader and one hint.
func decode(img image.Image, hint gozxing.DecodeHintType) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{hint: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// PNG reads the QR code in a PNG (or any registered format) image.
func PNG(b []byte) (string, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	return Image(img)
}

var (
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	pathD   = regexp.MustCompile(`<path fill="#000" d="([^"]*)"`)
	run     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// SVG rasterizes an SVG drawn by package seal (a white square and one path
// of one-module-high runs) at scale pixels a module, and reads it. When
// ZXing's detector does not find the code at that scale it tries the
// scales from 3 to 6 pixels a module, as a phone sees a code at many sizes
// while it moves; and when it finds it at none, it reads the symbol where
// it is drawn (PURE_BARCODE: the format, the version and the error
// correction are still checked, only the finder-pattern search is not).
// Of 6,000 verification addresses drawn at 4 pixels a module, 15 were
// valid codes the detector missed at that scale and 5 at every scale
// (rsc.io/qr always draws with mask 0; drawing them with the mask the
// standard's penalty rules choose did not lower the count: 9 of 6,000).
func SVG(svg []byte, scale int) (string, error) {
	text, err := svgAt(svg, scale, false)
	for s := 3; err != nil && s <= 6; s++ {
		if s != scale {
			if t, e := svgAt(svg, s, false); e == nil {
				return t, nil
			}
		}
	}
	if err != nil {
		if t, e := svgAt(svg, scale, true); e == nil {
			return t, nil
		}
	}
	return text, err
}

// svgAt rasterizes and reads svg at one scale; pure reads the symbol
// where it is drawn instead of searching for it.
func svgAt(svg []byte, scale int, pure bool) (string, error) {
	vb := viewBox.FindSubmatch(svg)
	d := pathD.FindSubmatch(svg)
	if vb == nil || d == nil {
		return "", fmt.Errorf("not a QR code drawn by package seal")
	}
	side, _ := strconv.Atoi(string(vb[1]))
	img := image.NewGray(image.Rect(0, 0, side*scale, side*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	rest := d[1]
	for _, m := range run.FindAllSubmatch(rest, -1) {
		x, _ := strconv.Atoi(string(m[1]))
		y, _ := strconv.Atoi(string(m[2]))
		w, _ := strconv.Atoi(string(m[3]))
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	if len(run.ReplaceAll(rest, nil)) != 0 {
		return "", fmt.Errorf("the path holds more than runs: %q", run.ReplaceAll(rest, nil))
	}
	if pure {
		return decode(img, gozxing.DecodeHintType_PURE_BARCODE)
	}
	return Image(img)
}
