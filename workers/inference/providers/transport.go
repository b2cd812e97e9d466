package providers

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/iglowly/assistant/config"
)

// maxLine is the longest line of a provider's event stream, in bytes:
// langchaingo's line scanner stops at 64 KiB.
const maxLine = 32 << 10

// maxErrorBody is how much of an error response is read, and dropped,
// so that the connection can be used again.
const maxErrorBody = 64 << 10

// newHTTPClient returns the client every call shares: connections are
// kept for reuse, connecting is bounded by cfg.ConnectTimeout, waiting
// for the response's head by cfg.Timeout, and redirects are not
// followed, so that no key and no prompt go anywhere but the endpoint
// configured.
func newHTTPClient(cfg Config) *http.Client {
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   cfg.ConnectTimeout,
			ResponseHeaderTimeout: cfg.Timeout,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2:     true,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// call is one model call's HTTP exchange, as langchaingo's Doer: it
// records what went wrong in words of this package, drops the body of an
// error response unread, and guards the event stream of a good one.
type call struct {
	provider string
	client   *http.Client

	mu        sync.Mutex
	status    int
	transport error  // the client's error, if no response came
	stream    *Error // what the stream guard found wrong
	sendErr   error  // the worker's streaming function's error
	last      bool   // the stream's last event was seen
}

// Do sends req once.
func (c *call) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.client.Do(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.transport = err
		return nil, err
	}
	c.status = resp.StatusCode
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
		resp.Body = http.NoBody
		return resp, nil
	}
	g := &guard{body: resp.Body, r: bufio.NewReaderSize(resp.Body, maxLine), c: c,
		check: openAILine}
	if c.provider == config.ProviderAnthropic {
		g.check = (&anthropicStream{}).line
	}
	resp.Body = g
	return resp, nil
}

func (c *call) streamFailed(kind error, detail string) *Error {
	e := &Error{Provider: c.provider, Kind: kind, Status: http.StatusOK, detail: detail}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream == nil {
		c.stream = e
	}
	return e
}

// guard passes a provider's event stream on line by line, checking each
// data line with check: a line check refuses ends the stream with its
// error, one it drops is not passed on. A stream that ends before its
// last event is an error too, so a cut answer is never taken for whole.
type guard struct {
	body  io.ReadCloser
	r     *bufio.Reader
	c     *call
	check func(data []byte) (keep, last bool, kind error, detail string)
	last  bool
	out   []byte
	err   error
}

// Read gives the next lines that pass.
func (g *guard) Read(p []byte) (int, error) {
	for len(g.out) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		g.next()
	}
	n := copy(p, g.out)
	g.out = g.out[n:]
	return n, nil
}

// Close closes the response body.
func (g *guard) Close() error { return g.body.Close() }

func (g *guard) next() {
	line, err := g.r.ReadSlice('\n')
	if len(line) > 0 && (err == nil || errors.Is(err, io.EOF)) && !g.pass(line) {
		return
	}
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) && g.last:
		g.err = io.EOF
	case errors.Is(err, io.EOF):
		g.err = g.c.streamFailed(ErrBadResponse, "the stream ended before its last event")
	case errors.Is(err, bufio.ErrBufferFull):
		g.err = g.c.streamFailed(ErrBadResponse, "a line of the stream is too long")
	default:
		g.err = err
	}
}

// pass checks one line and queues it if it passes; false if the line
// ended the stream.
func (g *guard) pass(line []byte) bool {
	data, ok := bytes.CutPrefix(bytes.TrimRight(line, "\r\n"), []byte("data:"))
	if !ok {
		g.out = append(g.out[:0], line...)
		return true
	}
	keep, last, kind, detail := g.check(bytes.TrimSpace(data))
	if kind != nil {
		g.err = g.c.streamFailed(kind, detail)
		return false
	}
	if last {
		g.last = true
		g.c.mu.Lock()
		g.c.last = true
		g.c.mu.Unlock()
	}
	if keep {
		g.out = append(g.out[:0], line...)
	}
	return true
}

// openAILine checks a data line of an OpenAI chat completions stream:
// "[DONE]" is its last; an error object in the stream fails it.
func openAILine(data []byte) (keep, last bool, kind error, detail string) {
	if string(data) == "[DONE]" {
		return true, true, nil, ""
	}
	if bytes.Contains(data, []byte(`"error"`)) {
		var v struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(data, &v) == nil && len(v.Error) > 0 &&
			string(v.Error) != "null" {
			return false, false, ErrUnavailable, "an error event in the stream"
		}
	}
	return true, false, nil, ""
}

// anthropicStream checks the events of an Anthropic messages stream.
// Only the event types langchaingo knows pass (it would log an unknown
// one whole, and an event may hold the answer's text); a delta must be
// for a content block already started; message_stop is the last event;
// an error event fails the stream with the kind its type says.
type anthropicStream struct {
	blocks int
}

func (s *anthropicStream) line(data []byte) (keep, last bool, kind error, detail string) {
	var ev struct {
		Type  string `json:"type"`
		Index *int   `json:"index"`
		Error struct {
			Type string `json:"type"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return false, false, ErrBadResponse, "an event is not JSON"
	}
	switch ev.Type {
	case "message_start", "message_delta", "ping":
		return true, false, nil, ""
	case "content_block_start":
		if ev.Index == nil || *ev.Index != s.blocks {
			return false, false, ErrBadResponse, "a content block out of order"
		}
		s.blocks++
		return true, false, nil, ""
	case "content_block_delta", "content_block_stop":
		if ev.Index == nil || *ev.Index < 0 || *ev.Index >= s.blocks {
			return false, false, ErrBadResponse, "an event for no content block"
		}
		return true, false, nil, ""
	case "message_stop":
		return true, true, nil, ""
	case "error":
		if k, ok := streamErrorKinds[ev.Error.Type]; ok {
			return false, false, k, "an error event in the stream"
		}
		return false, false, ErrUnavailable, "an error event in the stream"
	}
	return false, false, nil, ""
}
