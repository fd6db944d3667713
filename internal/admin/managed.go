package admin

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/netip"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registration is what the Cloud Assistant agent sends when a server
// registers with an activation code (docs/compute.md).
type registration struct {
	ActivationID   string `json:"activationId"`
	ActivationCode string `json:"activationCode"`
	Hostname       string `json:"hostname"`
	IP             string `json:"ip"`
	PublicIP       string `json:"publicIp"`
	OSType         string `json:"osType"`
	OSVersion      string `json:"osVersion"`
	MachineID      string `json:"machineId"`
	AgentVersion   string `json:"agentVersion"`
}

// registered answers the new managed instance.
type registered struct {
	InstanceID string `json:"instanceId"`
	Region     string `json:"region"`
	Account    string `json:"account"`
}

// registerManaged stands in for the agent's registration: the activation
// code must match, be enabled, unexpired and not used up, and the ip within
// its IpAddressRange; the managed instance is made in the code's account.
func (a *API) registerManaged(w http.ResponseWriter, r *http.Request) {
	var body registration
	if err := readJSON(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.OSType == "" {
		body.OSType = "linux"
	}
	if _, err := netip.ParseAddr(body.IP); err != nil || body.ActivationID == "" || body.Hostname == "" ||
		(body.OSType != "linux" && body.OSType != "windows" && body.OSType != "freebsd") {
		writeErr(w, http.StatusBadRequest, "activationId, activationCode, hostname and ip are needed; osType is linux, windows or freebsd")
		return
	}
	ctx := r.Context()
	accounts, err := a.opts.Store.AccountsOf(ctx, cloud.KindActivation, body.ActivationID)
	if err != nil {
		internal(w, err)
		return
	}
	if len(accounts) == 0 {
		writeErr(w, http.StatusNotFound, "no such activation")
		return
	}
	var raw [8]byte
	_, _ = rand.Read(raw[:]) // crypto/rand never fails on supported platforms
	out := registered{InstanceID: "mi-" + hex.EncodeToString(raw[:]), Account: accounts[0]}
	err = a.opts.Store.Update(ctx, accounts[0], func(tx store.Tx) error {
		act, err := store.Get[cloud.Activation](ctx, tx, body.ActivationID)
		if err != nil {
			return err
		}
		if act, err = act.Register(body.ActivationCode, body.IP, tx.Now()); err != nil {
			return err
		}
		name := act.InstanceName
		if name == "" {
			name = body.Hostname
		}
		machine := body.MachineID
		if machine == "" {
			machine = out.InstanceID
		}
		m := cloud.ManagedInstance{ID: out.InstanceID, Region: act.Region, ActivationID: act.ID, Name: name, Hostname: body.Hostname,
			MachineID: machine, IntranetIP: body.IP, InternetIP: body.PublicIP, OSType: body.OSType, OSVersion: body.OSVersion,
			AgentVersion: body.AgentVersion, ResourceGroup: act.ResourceGroup, Registered: tx.Now()}
		out.Region = act.Region
		if err := store.Put(ctx, tx, act); err != nil {
			return err
		}
		return store.Put(ctx, tx, m)
	})
	var apiErr *apierr.Error
	switch {
	case errors.As(err, &apiErr):
		writeErr(w, apiErr.Status, apiErr.Code+": "+apiErr.Message)
	case errors.Is(err, store.ErrNotFound):
		writeErr(w, http.StatusNotFound, "no such activation")
	case err != nil:
		internal(w, err)
	default:
		writeJSON(w, http.StatusOK, out)
	}
}
