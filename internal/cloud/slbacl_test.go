package cloud

import "testing"

// TestACLEntries: blocks are judged by IP version and stored masked; a
// repeated block refuses the whole call.
func TestACLEntries(t *testing.T) {
	for _, tc := range []struct {
		version, in, want string
		ok                bool
	}{
		{"ipv4", "10.0.10.7/24", "10.0.10.0/24", true},
		{"ipv4", "192.168.1.7", "192.168.1.7/32", true},
		{"ipv4", "10.0.0.0/33", "", false},
		{"ipv4", "2001:db8::/32", "", false},
		{"ipv6", "2001:db8::1/32", "2001:db8::/32", true},
		{"ipv6", "10.0.0.0/8", "", false},
		{"ipv4", "office", "", false},
	} {
		got, ok := CheckACLEntry(tc.version, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CheckACLEntry(%s, %s) = %q %t, want %q %t", tc.version, tc.in, got, ok, tc.want, tc.ok)
		}
	}
	a := ACL{Entries: []ACLEntry{{CIDR: "10.0.0.0/8"}}}
	if _, err := AddACLEntries(a, []ACLEntry{{CIDR: "10.0.0.0/8"}}); codeOf(err) != "AclEntryExist" {
		t.Fatalf("repeated entry: %v", err)
	}
	if _, err := AddACLEntries(a, []ACLEntry{{CIDR: "1.0.0.0/8"}, {CIDR: "1.0.0.0/8"}}); codeOf(err) != "AclEntryExist" {
		t.Fatalf("entry repeated in one call: %v", err)
	}
	if got := RemoveACLEntries(a, []ACLEntry{{CIDR: "10.0.0.0/8"}, {CIDR: "9.0.0.0/8"}}); len(got.Entries) != 0 {
		t.Fatalf("remove left %v", got.Entries)
	}
}
