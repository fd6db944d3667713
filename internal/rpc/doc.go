// Package rpc is the Alibaba Cloud RPC wire protocol and nothing else: it
// reads a request (GET or POST, query or form parameters), verifies its v1
// (HMAC-SHA1) or ACS3-HMAC-SHA256 signature, timestamp and nonce, routes it
// on (Version, Action) through a Table, binds its parameters to the
// action's typed request (Params, Binder), and writes the typed answer or
// the error envelope as JSON or XML. It knows no resource: products
// register their actions in a Table, and errors come from apierr.
package rpc
