package cloud

import "testing"

func TestSoldOut(t *testing.T) {
	c := Config{SoldOutResources: []string{"cn-hangzhou-k", "ecs.g8y.large", "cn-beijing-h/ecs.g7.large"}}
	for _, tc := range []struct {
		zone, typ string
		want      bool
	}{
		{"cn-hangzhou-k", "ecs.c7.large", true},
		{"cn-hangzhou-j", "ecs.g8y.large", true},
		{"cn-beijing-h", "ecs.g7.large", true},
		{"cn-beijing-h", "ecs.c7.large", false},
		{"cn-beijing-k", "ecs.g7.large", false},
	} {
		if got := c.SoldOut(tc.zone, tc.typ); got != tc.want {
			t.Errorf("SoldOut(%s, %s) = %v", tc.zone, tc.typ, got)
		}
	}
	if err := (Config{Profile: ProfileFast, DryRunSuccessCode: "DryRunOperation", SoldOutResources: []string{"a/b/c"}}).Validate(); err == nil {
		t.Fatal("a/b/c accepted")
	}
}

func TestModificationAllowed(t *testing.T) {
	cat := DefaultCatalog()
	get := func(id string) InstanceType { t, _ := cat.InstanceType(id); return t }
	g7, g7x, c7, g8y := get("ecs.g7.large"), get("ecs.g7.xlarge"), get("ecs.c7.large"), get("ecs.g8y.large")
	for _, tc := range []struct {
		from, to InstanceType
		op       string
		want     bool
	}{
		{g7, g7x, "Upgrade", true},
		{g7, c7, "Upgrade", false},
		{g7, c7, "Downgrade", true},
		{g7x, g7, "Upgrade", false},
		{g7, g7, "Upgrade", false},
		{g7, g8y, "RenewModify", false}, // another architecture
		{g7, c7, "RenewModify", true},
	} {
		if got := ModificationAllowed(tc.from, tc.to, tc.op); got != tc.want {
			t.Errorf("%s → %s %s = %v", tc.from.InstanceTypeID, tc.to.InstanceTypeID, tc.op, got)
		}
	}
}
