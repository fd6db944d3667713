package ram

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/rpc"
)

// STS (2015-04-01) is served here for the one action clients ask before
// anything else: GetCallerIdentity, which the Terraform provider uses to
// learn the account. Every access key of ecslocal is an account's own
// (root) key, so the caller is the account.

// GetCallerIdentityRequest has no parameters.
type GetCallerIdentityRequest struct{}

// Bind implements rpc.Binder.
func (r *GetCallerIdentityRequest) Bind(*rpc.Params) {}

// GetCallerIdentityResponse is who signed the call.
type GetCallerIdentityResponse struct {
	rpc.Base
	IdentityType string `json:"IdentityType"`
	AccountID    string `json:"AccountId"`
	PrincipalID  string `json:"PrincipalId"`
	UserID       string `json:"UserId"`
	Arn          string `json:"Arn"`
}

// GetCallerIdentity answers the account of the access key.
func (s *Service) GetCallerIdentity(_ context.Context, call *rpc.Call, _ *GetCallerIdentityRequest) (*GetCallerIdentityResponse, error) {
	return &GetCallerIdentityResponse{IdentityType: "Account", AccountID: call.Account, PrincipalID: call.Account,
		UserID: call.Account, Arn: "acs:ram::" + call.Account + ":root"}, nil
}
