// Package jsonw writes JSON values by hand, byte for byte as
// encoding/json.Marshal writes them (HTML characters, U+2028 and U+2029
// escaped, invalid UTF-8 as \ufffd, floats in ES6 form), for the hot paths
// that encode without reflection: the answers that write their own JSON
// (rpc.JSONAppender) and the SQLite audit log's events.
package jsonw

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// htmlSafe is encoding/json's htmlSafeSet: the ASCII bytes a string keeps
// as they are (not a control character, '"', '\\', '<', '>' or '&').
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// safeWord tells whether all eight bytes of x are htmlSafe: none below
// 0x20 or above 0x7f, none '"', '\\', '<', '>' or '&' (the classic tests for
// a zero byte and for a byte below n, on the word).
func safeWord(x uint64) bool {
	q, bs, lt, gt, amp := x^(lsbs*'"'), x^(lsbs*'\\'), x^(lsbs*'<'), x^(lsbs*'>'), x^(lsbs*'&')
	v := x | (x-lsbs*0x20)&^x |
		(q-lsbs)&^q | (bs-lsbs)&^bs | (lt-lsbs)&^lt | (gt-lsbs)&^gt | (amp-lsbs)&^amp
	return v&msbs == 0
}

// le64 is the first eight bytes of s as a little-endian word (one load).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// AppendString appends s as encoding/json writes a string: HTML
// characters, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	// Eight bytes at a time while none needs escaping (nearly every
	// string of an answer: ids, names, times), the last eight too, then,
	// if one does, byte by byte from there.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if !safeWord(le64(s[i : i+8])) {
			break
		}
	}
	if i == len(s) || i > len(s)-8 && len(s) >= 8 && safeWord(le64(s[len(s)-8:])) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i < len(s) {
		if b := s[i]; b < utf8.RuneSelf {
			if htmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendStrings appends a []string as encoding/json writes it (nil is null).
func AppendStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for n, s := range ss {
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, s)
	}
	return append(dst, ']')
}

// AppendBool appends true or false.
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// AppendFloat appends a float64 as encoding/json writes one (ES6
// number form); NaN and infinities are an error, as there.
func AppendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// AppendStringField appends an object member: key is its name with the
// quotes, the colon and any comma before it (`,"Name":`), then s.
func AppendStringField(dst []byte, key, s string) []byte {
	return AppendString(append(dst, key...), s)
}

// AppendIntField is AppendStringField for an integer.
func AppendIntField(dst []byte, key string, v int) []byte {
	return strconv.AppendInt(append(dst, key...), int64(v), 10)
}

// AppendBoolField is AppendStringField for a bool.
func AppendBoolField(dst []byte, key string, v bool) []byte {
	return AppendBool(append(dst, key...), v)
}
