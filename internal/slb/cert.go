package slb

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// UploadServerCertificateRequest is UploadServerCertificate.
type UploadServerCertificateRequest struct {
	RegionID, Certificate, PrivateKey, Name, ResourceGroupID string
}

// Bind implements rpc.Binder. Certificates of Alibaba's certificate
// service (AliCloudCertificateId) are not modelled: the PEM pair is needed.
func (r *UploadServerCertificateRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Certificate = p.Required("ServerCertificate")
	r.PrivateKey = p.Required("PrivateKey")
	r.Name = p.String("ServerCertificateName")
	r.ResourceGroupID = p.String("ResourceGroupId")
}

// SubjectAlternativeNames is the SubjectAlternativeName[] wrapper.
type SubjectAlternativeNames struct {
	SubjectAlternativeName []string `json:"SubjectAlternativeName"`
}

// CertificateItem is a certificate as the answers show it.
type CertificateItem struct {
	ServerCertificateID     string                  `json:"ServerCertificateId"`
	ServerCertificateName   string                  `json:"ServerCertificateName"`
	Fingerprint             string                  `json:"Fingerprint"`
	CommonName              string                  `json:"CommonName"`
	SubjectAlternativeNames SubjectAlternativeNames `json:"SubjectAlternativeNames"`
	ExpireTime              string                  `json:"ExpireTime"`
	ExpireTimeStamp         int64                   `json:"ExpireTimeStamp"`
	CreateTime              string                  `json:"CreateTime"`
	CreateTimeStamp         int64                   `json:"CreateTimeStamp"`
	RegionID                string                  `json:"RegionId"`
	RegionIDAlias           string                  `json:"RegionIdAlias"`
	ResourceGroupID         string                  `json:"ResourceGroupId"`
	IsAliCloudCertificate   int                     `json:"IsAliCloudCertificate"`
}

func certificateItem(c cloud.ServerCertificate) CertificateItem {
	return CertificateItem{
		ServerCertificateID: c.ID, ServerCertificateName: c.Name, Fingerprint: c.Fingerprint, CommonName: c.CommonName,
		SubjectAlternativeNames: SubjectAlternativeNames{SubjectAlternativeName: append([]string{}, c.AltNames...)},
		ExpireTime:              c.Expires.UTC().Format(time.RFC3339), ExpireTimeStamp: c.Expires.UnixMilli(),
		CreateTime: cloud.FormatMinute(c.Created), CreateTimeStamp: c.Created.UnixMilli(),
		RegionID: c.Region, RegionIDAlias: c.Region, ResourceGroupID: c.ResourceGroup,
	}
}

// UploadServerCertificateResponse is the stored certificate.
type UploadServerCertificateResponse struct {
	rpc.Base
	CertificateItem
}

// UploadServerCertificate stores a certificate after checking that the
// PEM certificate parses and the private key is its key.
func (s *Service) UploadServerCertificate(ctx context.Context, call *rpc.Call, req *UploadServerCertificateRequest) (*UploadServerCertificateResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	c, err := cloud.ParseServerCertificate(req.Certificate, req.PrivateKey)
	if err != nil {
		return nil, err
	}
	resp := &UploadServerCertificateResponse{}
	err = s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c.ID, c.Region, c.Name, c.Created = s.ids.ID("cert", req.RegionID), req.RegionID, req.Name, tx.Now()
		c.ResourceGroup = cloud.ResourceGroup(call.Account, req.ResourceGroupID)
		if c.Name == "" {
			c.Name = c.ID
		}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.CertificateItem = certificateItem(c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeServerCertificatesRequest is DescribeServerCertificates.
type DescribeServerCertificatesRequest struct {
	RegionID, ResourceGroupID string
	IDs                       []string
}

// Bind implements rpc.Binder.
func (r *DescribeServerCertificatesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceGroupID = p.String("ResourceGroupId")
	if id := p.String("ServerCertificateId"); id != "" {
		r.IDs = splitIDs(id)
	}
}

// CertificateListItem is one certificate of DescribeServerCertificates.
type CertificateListItem struct {
	CertificateItem
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
	EncryptionKeyLength int    `json:"EncryptionKeyLength"`
}

// DescribeServerCertificatesResponse wraps ServerCertificates.ServerCertificate[].
type DescribeServerCertificatesResponse struct {
	rpc.Base
	ServerCertificates struct {
		ServerCertificate []CertificateListItem `json:"ServerCertificate"`
	} `json:"ServerCertificates"`
}

// DescribeServerCertificates lists the region's certificates.
func (s *Service) DescribeServerCertificates(ctx context.Context, call *rpc.Call, req *DescribeServerCertificatesRequest) (*DescribeServerCertificatesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeServerCertificatesResponse{}
	resp.ServerCertificates.ServerCertificate = []CertificateListItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Limit: 1 << 30}
		if req.ResourceGroupID != "" {
			q.Filters = append(q.Filters, store.Where(string(cloud.IdxResourceGroup), req.ResourceGroupID))
		}
		certs, _, err := store.Find[cloud.ServerCertificate](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, c := range certs {
			resp.ServerCertificates.ServerCertificate = append(resp.ServerCertificates.ServerCertificate,
				CertificateListItem{CertificateItem: certificateItem(c), EncryptionAlgorithm: c.Algorithm, EncryptionKeyLength: c.KeyLength})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// CertificateRequest names one certificate.
type CertificateRequest struct{ RegionID, ServerCertificateID string }

// Bind implements rpc.Binder.
func (r *CertificateRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ServerCertificateID = p.Required("ServerCertificateId")
}

func serverCertificate(ctx context.Context, tx store.Tx, region, id string) (cloud.ServerCertificate, error) {
	c, err := store.GetIn[cloud.ServerCertificate](ctx, tx, region, id)
	if err != nil {
		return c, notFound(err, apierr.ServerCertificateNotFound)
	}
	return c, nil
}

// DeleteServerCertificate removes a certificate no listener serves.
func (s *Service) DeleteServerCertificate(ctx context.Context, call *rpc.Call, req *CertificateRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := serverCertificate(ctx, tx, req.RegionID, req.ServerCertificateID)
		if err != nil {
			return err
		}
		q := store.Query{Region: c.Region, Filters: []store.Filter{store.Where(string(cloud.IdxCertificate), c.ID)}, Limit: 1}
		users, _, err := store.Find[cloud.LoadBalancer](ctx, tx, q)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return apierr.ServerCertificateInUse.New().WithDetail("load balancer %s serves %s", users[0].ID, c.ID)
		}
		return store.Delete[cloud.ServerCertificate](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// SetServerCertificateNameRequest is SetServerCertificateName.
type SetServerCertificateNameRequest struct {
	CertificateRequest
	Name string
}

// Bind implements rpc.Binder.
func (r *SetServerCertificateNameRequest) Bind(p *rpc.Params) {
	r.CertificateRequest.Bind(p)
	r.Name = p.Required("ServerCertificateName")
}

// SetServerCertificateName renames a certificate.
func (s *Service) SetServerCertificateName(ctx context.Context, call *rpc.Call, req *SetServerCertificateNameRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := serverCertificate(ctx, tx, req.RegionID, req.ServerCertificateID)
		if err != nil {
			return err
		}
		c.Name = req.Name
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}
