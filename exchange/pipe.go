package exchange

import (
	"io"
	"sync"
)

// pipe decompresses on its own goroutine, a few chunks ahead of the
// reader, so that on a machine with two cores inflating and parsing run
// side by side. Its memory is fixed: n chunks of size bytes, handed back
// and forth between two channels.
type pipe struct {
	full chan []byte
	free chan []byte
	stop chan struct{}
	once sync.Once
	err  error // set by the goroutine before it closes full

	cur  []byte // the unread part of held
	held []byte // the chunk being read, to hand back when empty
}

func startPipe(src io.Reader, size, n int) *pipe {
	p := &pipe{full: make(chan []byte, n), free: make(chan []byte, n), stop: make(chan struct{})}
	for range n {
		p.free <- make([]byte, size)
	}
	go p.run(src)
	return p
}

func (p *pipe) run(src io.Reader) {
	defer close(p.full)
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.stop:
				return
			}
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			p.err = err
			return
		}
	}
}

func (p *pipe) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.held != nil {
			p.free <- p.held[:cap(p.held)]
			p.held = nil
		}
		buf, ok := <-p.full
		if !ok {
			return 0, p.err
		}
		p.held, p.cur = buf, buf
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// close stops the goroutine; reading after it is not allowed.
func (p *pipe) close() { p.once.Do(func() { close(p.stop) }) }
