package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// conns is the generator's HTTP/1.1 client: a pool of keep-alive
// connections to one server, each carrying one request at a time, written
// and read on the calling goroutine. The generator shares the server's two
// cores, so its own cost per request is taken from the server's: net/http's
// Transport spends two goroutines per connection and a hand-over between
// them on every request, and its cookie jar parses and sorts on every
// request. Responses are still read by net/http (http.ReadResponse), so
// framing, chunking and headers are parsed as any client would.
type conns struct {
	addr    string // host:port
	host    string // the Host header
	timeout time.Duration

	mu   sync.Mutex
	idle []*httpConn
}

type httpConn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

// newConns pools connections to base (http://host:port).
func newConns(base string, timeout time.Duration) (*conns, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("%s: only http:// servers are supported", base)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &conns{addr: addr, host: u.Host, timeout: timeout}, nil
}

func (p *conns) get(ctx context.Context) (*httpConn, bool, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		hc := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return hc, true, nil
	}
	p.mu.Unlock()
	d := net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	c, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, false, err
	}
	return &httpConn{c: c, br: bufio.NewReaderSize(c, 8192), bw: bufio.NewWriterSize(c, 4096)}, false, nil
}

func (p *conns) put(hc *httpConn) {
	p.mu.Lock()
	p.idle = append(p.idle, hc)
	p.mu.Unlock()
}

// closeIdle closes the pooled connections.
func (p *conns) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, hc := range idle {
		hc.c.Close()
	}
}

// response is what a request got back.
type response struct {
	status     int
	body       []byte
	retryAfter string
	cookies    []*http.Cookie
}

// errNothingBack marks a failure on a reused connection before any byte of
// the answer arrived: the server had closed it while idle, so the request
// is sent again on a new connection (as net/http's Transport does).
var errNothingBack = errors.New("connection closed before an answer")

// do sends one request (header lines already formatted, each ending in
// CRLF) and reads the whole answer.
func (p *conns) do(ctx context.Context, method, path, header string, body []byte) (response, error) {
	for try := 0; ; try++ {
		hc, reused, err := p.get(ctx)
		if err != nil {
			return response{}, err
		}
		r, err := p.roundTrip(ctx, hc, method, path, header, body)
		if errors.Is(err, errNothingBack) && reused && try == 0 {
			continue
		}
		return r, err
	}
}

func (p *conns) roundTrip(ctx context.Context, hc *httpConn, method, path, header string, body []byte) (response, error) {
	deadline := time.Now().Add(p.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	hc.c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { hc.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	bw := hc.bw
	bw.WriteString(method)
	bw.WriteByte(' ')
	bw.WriteString(path)
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(p.host)
	bw.WriteString("\r\n")
	bw.WriteString(header)
	if body != nil || method != http.MethodGet {
		bw.WriteString("Content-Length: ")
		bw.WriteString(strconv.Itoa(len(body)))
		bw.WriteString("\r\n")
	}
	bw.WriteString("\r\n")
	bw.Write(body)
	err := bw.Flush()
	if err == nil {
		_, err = hc.br.Peek(1)
	}
	if err != nil {
		hc.c.Close()
		if ctx.Err() != nil {
			return response{}, ctx.Err()
		}
		if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
			err = errors.Join(errNothingBack, err)
		}
		return response{}, err
	}
	resp, err := http.ReadResponse(hc.br, nil)
	if err != nil {
		hc.c.Close()
		return response{}, err
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		hc.c.Close()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return response{}, err
	}
	r := response{status: resp.StatusCode, body: buf.Bytes(), retryAfter: resp.Header.Get("Retry-After")}
	if len(resp.Header["Set-Cookie"]) > 0 {
		r.cookies = resp.Cookies()
	}
	if resp.Close || ctx.Err() != nil {
		hc.c.Close()
	} else {
		p.put(hc)
	}
	return r, nil
}
