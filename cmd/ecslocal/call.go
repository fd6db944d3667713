package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// Product versions "call --product" chooses between.
var productVersions = map[string]string{"ecs": "2014-05-26", "vpc": "2016-04-28", "slb": "2014-05-15"}

// DefaultRegion is the RegionId call sends unless told otherwise.
const DefaultRegion = "cn-hangzhou"

// call runs "call ACTION key=value…": one v1-signed POST to the RPC
// endpoint, the answer printed as the server wrote it. An error answer is
// printed too, and is exit 1 with the code and ecslocal's reason on stderr.
func (m *Main) call(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ecslocal call", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "address of the server (env "+EnvAddr+", default "+DefaultAddr+")")
	accessKey := fs.String("access-key", "", "ID:SECRET to sign with (env "+EnvAccessKeys+": its first key; default "+DefaultAccessKey+")")
	product := fs.String("product", "ecs", "ecs, vpc or slb: the default --version")
	version := fs.String("version", "", "API version (default by --product)")
	region := fs.String("region", DefaultRegion, "RegionId unless the parameters give one")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("call needs an ACTION, then key=value parameters")
	}
	set := flagsSet(fs)
	if !set["addr"] {
		*addr = m.getenvOr(EnvAddr, DefaultAddr)
	}
	base, err := baseURL(*addr)
	if err != nil {
		return &UsageError{Err: err}
	}
	keySpec, src := *accessKey, "--access-key"
	if !set["access-key"] {
		keySpec, src = DefaultAccessKey, "default"
		if v := m.Getenv(EnvAccessKeys); v != "" {
			keySpec, src = strings.TrimSpace(strings.Split(v, ",")[0]), EnvAccessKeys
		}
	}
	key, err := server.ParseKey(keySpec)
	if err != nil {
		return usagef("%s: %v", src, err)
	}
	v, ok := productVersions[strings.ToLower(*product)]
	if !ok {
		return usagef("--product %q: want ecs, vpc or slb", *product)
	}
	if set["version"] {
		v = *version
	}

	action := pos[0]
	params := url.Values{}
	for _, kv := range pos[1:] {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("call parameter %q: want key=value", kv)
		}
		params.Set(k, val)
	}
	if !params.Has("RegionId") && *region != "" {
		params.Set("RegionId", *region)
	}
	signV1(params, key, action, v, time.Now())

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(params.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", action, err)
	}
	raw = bytes.TrimRight(raw, "\n")
	if _, err := fmt.Fprintf(m.Stdout, "%s\n", raw); err != nil {
		return err
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	reason := ""
	if r := resp.Header.Get(rpc.ReasonHeader); r != "" {
		reason = "; reason: " + r
	}
	var e struct{ Code, Message, RequestId string }
	if json.Unmarshal(raw, &e) == nil && e.Code != "" {
		return fmt.Errorf("%s: %d %s: %s (RequestId %s)%s", action, resp.StatusCode, e.Code, e.Message, e.RequestId, reason)
	}
	return fmt.Errorf("%s: %s%s", action, resp.Status, reason)
}

// signV1 adds the common parameters and the v1 signature of a POST.
func signV1(params url.Values, key rpc.Key, action, version string, now time.Time) {
	var nonce [16]byte
	rand.Read(nonce[:])
	for k, val := range map[string]string{
		"Action": action, "Version": version, "Format": "JSON", "AccessKeyId": key.ID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": hex.EncodeToString(nonce[:]),
		"Timestamp": now.UTC().Format("2006-01-02T15:04:05Z"),
	} {
		params.Set(k, val)
	}
	params.Set("Signature", rpc.V1Signature(key.Secret, rpc.V1StringToSign(http.MethodPost, params)))
}
