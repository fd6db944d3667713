package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

const (
	contentJSON = "application/json;charset=utf-8"
	// The new Go SDK parses an XML error only under exactly this type (protocol.md §6).
	contentXML = "text/xml;charset=utf-8"
)

// errorBody is the error envelope; every field is a string because the old Go
// SDK type-asserts each one (protocol.md §6).
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func recommend(code, product string) string {
	if product == "" {
		product = "Ecs"
	}
	return "https://api.aliyun.com/troubleshoot?q=" + code + "&product=" + product
}

// writeError writes e in the Alibaba envelope, JSON unless XML was asked for.
func writeError(w http.ResponseWriter, e *apierr.Error, requestID, host, product string, asXML bool) {
	body := errorBody{RequestID: requestID, HostID: host, Code: e.Code, Message: e.Message, Recommend: recommend(e.Code, product)}
	w.Header().Set("x-acs-request-id", requestID)
	if asXML {
		var b bytes.Buffer
		b.WriteString("<?xml version='1.0' encoding='UTF-8'?><Error>")
		writeXMLText(&b, "RequestId", body.RequestID)
		writeXMLText(&b, "HostId", body.HostID)
		writeXMLText(&b, "Code", body.Code)
		writeXMLText(&b, "Message", body.Message)
		b.WriteString("<Recommend><![CDATA[" + strings.ReplaceAll(body.Recommend, "]]>", "]]]]><![CDATA[>") + "]]></Recommend></Error>")
		w.Header().Set("Content-Type", contentXML)
		w.WriteHeader(e.Status)
		w.Write(b.Bytes())
		return
	}
	b, _ := json.Marshal(body) // a struct of strings cannot fail
	w.Header().Set("Content-Type", contentJSON)
	w.WriteHeader(e.Status)
	w.Write(b)
}

// writeSuccess writes a response struct as JSON, or as XML rooted at
// <ActionResponse> whose children mirror the JSON keys (protocol.md §7).
func (h *Handler) writeSuccess(ctx context.Context, w http.ResponseWriter, action string, resp Response, requestID string, asXML bool) error {
	bp, _ := h.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	body, err := appendAnswer((*bp)[:0], resp)
	defer func() {
		if cap(body) <= maxPooledBuffer {
			*bp = body[:0]
			h.bufs.Put(bp)
		}
	}()
	if err != nil {
		return fmt.Errorf("encode %s response: %w", action, err)
	}
	w.Header().Set("x-acs-request-id", requestID)
	if !asXML {
		writeBody(ctx, w, contentJSON, body)
		return nil
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	if err := JSONToXML(&b, action+"Response", body); err != nil {
		return fmt.Errorf("encode %s response as XML: %w", action, err)
	}
	writeBody(ctx, w, contentXML, b.Bytes())
	return nil
}

// appendAnswer appends v's JSON to b as EncodeJSON writes it; an answer
// that writes its own (JSONAppender) appends straight into b.
func appendAnswer(b []byte, v any) ([]byte, error) {
	if a, ok := v.(JSONAppender); ok {
		return a.AppendJSON(b)
	}
	buf := bytes.NewBuffer(b)
	err := EncodeJSON(buf, v)
	return buf.Bytes(), err
}

// EncodeJSON appends v's JSON to buf, byte for byte what json.Marshal
// writes (TestEncodeJSONIsMarshal holds it to that for every answer type),
// through goccy/go-json: encoding answers with encoding/json took a sixth
// of a DescribeInstances call, this takes half of that.
func EncodeJSON(buf *bytes.Buffer, v any) error {
	if a, ok := v.(JSONAppender); ok {
		// Appended into the buffer's free room: Write then copies nothing
		// new unless the answer outgrew it.
		b, err := a.AppendJSON(buf.AvailableBuffer())
		if err != nil {
			return err
		}
		buf.Write(b)
		return nil
	}
	if err := gojson.NewEncoder(buf).Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline; json.Marshal writes none
	return nil
}

// maxPooledBuffer: a buffer that grew past this (a huge page) goes to the
// garbage collector rather than stay pinned in the pool.
const maxPooledBuffer = 1 << 20

// writeBody answers 200 with body and its length: without one, net/http
// chunks any answer over 2 KB, which costs both sides. Over a Conn, an
// answer past net/http's 4 KB buffer goes out in one system call, not two.
func writeBody(ctx context.Context, w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	defer holdFor(ctx, len(body)).finish(w)
	w.Write(body)
}

// JSONToXML converts a JSON object into Alibaba's XML: an object becomes child
// elements in key order, an array under key K repeats <K> once per item.
// Keys that are not XML names are made into ones (xmlName), so the answer
// is well-formed whatever a document holds; a top-level array, which would
// make several roots, is an error.
func JSONToXML(w *bytes.Buffer, root string, body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == json.Delim('[') {
		return errors.New("rpc: a top-level JSON array has no XML form")
	}
	return xmlFromToken(w, dec, xmlName(root), tok)
}

// xmlName makes s an XML element name: an ASCII letter or "_" first, then
// ASCII letters, digits, "_", "-" or "."; any other character becomes "_", and
// a name that cannot start as it is gets a "_" in front ("" becomes "_").
// ASCII only, so that every XML reader agrees the name is one. Every key
// of this server's responses is such a name already and is kept as it is.
func xmlName(s string) string {
	ok := s != ""
	for i := 0; i < len(s) && ok; i++ {
		ok = nameByte(s[i], i == 0)
	}
	if ok {
		return s
	}
	b := make([]byte, 0, len(s)+1)
	if s == "" || !nameByte(s[0], true) && nameByte(s[0], false) {
		b = append(b, '_')
	}
	for _, r := range s { // one "_" per character, not per byte
		if r < utf8.RuneSelf && nameByte(byte(r), len(b) == 0) {
			b = append(b, byte(r))
		} else {
			b = append(b, '_')
		}
	}
	return string(b)
}

func nameByte(c byte, first bool) bool {
	if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		return true
	}
	return !first && ('0' <= c && c <= '9' || c == '-' || c == '.')
}

func xmlValue(w *bytes.Buffer, dec *json.Decoder, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	return xmlFromToken(w, dec, name, tok)
}

func xmlFromToken(w *bytes.Buffer, dec *json.Decoder, name string, tok json.Token) error {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			w.WriteString("<" + name + ">")
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				if err := xmlValue(w, dec, xmlName(key)); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			w.WriteString("</" + name + ">")
		case '[':
			for dec.More() {
				if err := xmlValue(w, dec, name); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
		}
	case nil:
		w.WriteString("<" + name + "/>")
	case string:
		writeXMLText(w, name, t)
	case bool:
		writeXMLText(w, name, strconv.FormatBool(t))
	case json.Number:
		writeXMLText(w, name, t.String())
	}
	return nil
}

func writeXMLText(w *bytes.Buffer, name, text string) {
	w.WriteString("<" + name + ">")
	xml.EscapeText(w, []byte(text))
	w.WriteString("</" + name + ">")
}

// JSONAppender is an answer that writes its own JSON: byte for byte what
// encoding/json.Marshal writes for it (TestEncodeJSONIsMarshal and
// TestAppendJSONIsMarshal hold every one to that), without reflection, for
// the answers a hot path sends many of (internal/jsonw writes their values).
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}
