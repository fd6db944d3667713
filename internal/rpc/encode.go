package rpc

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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
func writeSuccess(w http.ResponseWriter, action string, resp Response, requestID string, asXML bool) error {
	body, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encode %s response: %w", action, err)
	}
	w.Header().Set("x-acs-request-id", requestID)
	if !asXML {
		w.Header().Set("Content-Type", contentJSON)
		w.WriteHeader(http.StatusOK)
		w.Write(body)
		return nil
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	if err := JSONToXML(&b, action+"Response", body); err != nil {
		return fmt.Errorf("encode %s response as XML: %w", action, err)
	}
	w.Header().Set("Content-Type", contentXML)
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}

// JSONToXML converts a JSON object into Alibaba's XML: an object becomes child
// elements in key order, an array under key K repeats <K> once per item.
func JSONToXML(w *bytes.Buffer, root string, body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return xmlValue(w, dec, root)
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
				if err := xmlValue(w, dec, key); err != nil {
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
