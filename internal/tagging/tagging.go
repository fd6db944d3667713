// Package tagging is the store side of the TagResources, UntagResources
// (UnTagResources) and ListTagResources actions every product serves: the
// products bind their own parameters and answer their own shapes, and
// read and rewrite the tags of any declared taggable kind through here, so
// ECS and VPC tags obey one set of limits over one storage.
package tagging

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Limits of the tag references (the same in ECS and VPC).
const (
	MaxTagsPerResource = 20
	MaxResourceIDs     = 50
	MaxValueLength     = 128
)

// BindTags reads Tag.N.Key/Value with the rules of the tag references: at
// most 20 (NumberExceed.Tags), keys as rpc.Params.Tags checks them, no key
// twice (Duplicate.TagKey), values of at most 128 characters and no URL.
func BindTags(p *rpc.Params, name string) []rpc.Tag {
	if len(p.Objects(name)) > MaxTagsPerResource {
		p.Fail(apierr.TooManyTags.New())
	}
	tags := p.Tags(name)
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			p.Fail(apierr.DuplicateTagKey.New())
		}
		seen[t.Key] = true
		if len(t.Value) > MaxValueLength || strings.HasPrefix(t.Value, "http://") || strings.HasPrefix(t.Value, "https://") {
			p.Fail(apierr.InvalidTagValue.New())
		}
	}
	return tags
}

// BindResourceIDs reads ResourceId.N: at most 50, repeats dropped.
func BindResourceIDs(p *rpc.Params, required bool) []string {
	ids := p.List("ResourceId")
	if required && len(ids) == 0 {
		p.Fail(apierr.MissingParameter.New("ResourceId.N"))
	}
	if len(ids) > MaxResourceIDs {
		p.Fail(apierr.TooManyTagResourceIDs.New())
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Cloud converts request tags to stored ones, a repeated key keeping the
// last value.
func Cloud(tags []rpc.Tag) []cloud.Tag {
	out := make([]cloud.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, cloud.Tag{Key: t.Key, Value: t.Value})
	}
	return cloud.MergeTags(nil, out)
}

// Item is one resource whose tags an action reads or rewrites.
type Item struct {
	ID   string
	Tags []cloud.Tag
	// With is the resource carrying tags instead, ready for store.Put.
	With func(tags []cloud.Tag) cloud.Resource
}

// Find runs q over taggable kind k and answers each resource with its tags.
func Find(ctx context.Context, tx store.Tx, k cloud.Kind, q store.Query) ([]Item, store.Page, error) {
	list, page, err := store.FindKind(ctx, tx, k, q)
	if err != nil {
		return nil, page, err
	}
	out := make([]Item, 0, len(list))
	for _, r := range list {
		t, ok := r.(cloud.Tagged)
		if !ok {
			return nil, page, fmt.Errorf("kind %s is declared taggable but carries no tags", k.Name)
		}
		out = append(out, Item{ID: r.Key(), Tags: t.TagList(), With: t.WithTags})
	}
	return out, page, nil
}

// Load reads every listed resource of kind k in the region, in request
// order; any missing one is InvalidResourceId.NotFound.
func Load(ctx context.Context, tx store.Tx, k cloud.Kind, region string, ids []string) ([]Item, error) {
	list, _, err := Find(ctx, tx, k, store.Query{Region: region, IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Item, len(list))
	for _, r := range list {
		byID[r.ID] = r
	}
	out := make([]Item, 0, len(ids))
	for _, id := range ids {
		r, ok := byID[id]
		if !ok {
			return nil, apierr.InvalidResourceIDNotFound.New().WithDetail("%s not found in %s", id, region)
		}
		out = append(out, r)
	}
	return out, nil
}

// Add adds or overwrites tags on the listed resources, all or none: a
// resource that would end with more than 20 tags is
// OperationDenied.QuotaExceed and nothing is written.
func Add(ctx context.Context, tx store.Tx, k cloud.Kind, region string, ids []string, add []cloud.Tag) error {
	list, err := Load(ctx, tx, k, region, ids)
	if err != nil {
		return err
	}
	next := make([]cloud.Resource, 0, len(list))
	for _, r := range list {
		tags := cloud.MergeTags(r.Tags, add)
		if len(tags) > MaxTagsPerResource {
			return apierr.TagQuotaExceed.New().WithDetail("%s would have %d tags", r.ID, len(tags))
		}
		next = append(next, r.With(tags))
	}
	for _, r := range next {
		if err := store.Put(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// Remove removes the named keys from the listed resources, or every tag
// with all when no key is named (all only acts then); keys a resource does
// not carry are ignored. Every id must exist.
func Remove(ctx context.Context, tx store.Tx, k cloud.Kind, region string, ids, keys []string, all bool) error {
	list, err := Load(ctx, tx, k, region, ids)
	if err != nil {
		return err
	}
	if len(keys) == 0 && !all {
		return nil
	}
	for _, r := range list {
		var keep []cloud.Tag
		for _, t := range r.Tags {
			if len(keys) > 0 && !slices.Contains(keys, t.Key) {
				keep = append(keep, t)
			}
		}
		if len(keep) == len(r.Tags) {
			continue
		}
		if err := store.Put(ctx, tx, r.With(keep)); err != nil {
			return err
		}
	}
	return nil
}

// Filters turns Tag.N into index filters: every pair must hold, and a key
// without a value matches any value of the key.
func Filters(tags []rpc.Tag) []store.Filter {
	out := make([]store.Filter, 0, len(tags))
	for _, t := range tags {
		if t.Value == "" {
			out = append(out, store.Where(string(cloud.IdxTagKey), t.Key))
		} else {
			out = append(out, store.Where(string(cloud.IdxTag), t.Key+"="+t.Value))
		}
	}
	return out
}

// ResourceTag is one (resource, tag) pair of a ListTagResources answer.
type ResourceTag struct {
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	TagKey       string `json:"TagKey"`
	TagValue     string `json:"TagValue"`
}

// BindNextToken reads ListTagResources' NextToken: the creation sequence
// to resume after (0 when absent); a malformed one is Invalid.NextToken.
func BindNextToken(p *rpc.Params) int64 { return BindSeqToken(p, apierr.InvalidTagNextToken) }

// BindSeqToken reads a NextToken that resumes after a creation sequence
// (0 when absent); a malformed one is bad, the action's own code.
func BindSeqToken(p *rpc.Params, bad apierr.Entry) int64 {
	tok := p.String("NextToken")
	if tok == "" {
		return 0
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	n, perr := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || perr != nil || n <= 0 {
		p.Fail(bad.New())
	}
	return n
}

// SeqToken is the NextToken after page, read by BindSeqToken: "" on the last.
func SeqToken(page store.Page) string {
	if !page.More || len(page.Records) == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(page.Records[len(page.Records)-1].Seq, 10)))
}

// List runs q over taggable kind k and answers its (resource, tag) pairs,
// labelled resourceType, and the NextToken of the page after ("" on the last).
func List(ctx context.Context, tx store.Tx, k cloud.Kind, resourceType string, q store.Query) ([]ResourceTag, string, error) {
	list, page, err := Find(ctx, tx, k, q)
	if err != nil {
		return nil, "", err
	}
	out := []ResourceTag{}
	for _, r := range list {
		for _, t := range r.Tags {
			out = append(out, ResourceTag{ResourceID: r.ID, ResourceType: resourceType, TagKey: t.Key, TagValue: t.Value})
		}
	}
	return out, SeqToken(page), nil
}
