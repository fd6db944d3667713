package store

import "testing"

// TestDrivers: the first positive one-value filter drives; without one
// and without ids, the first positive filter of several values.
func TestDrivers(t *testing.T) {
	one, many, not := Where("a", "1"), Where("b", "1", "2"), Filter{Name: "c", Values: []string{"1"}, Not: true}
	for _, c := range []struct {
		name            string
		q               Query
		driver, several int
	}{
		{"none", Query{}, -1, -1},
		{"one", Query{Filters: []Filter{many, one}}, 1, -1},
		{"several", Query{Filters: []Filter{not, many}}, -1, 1},
		{"several with ids", Query{IDs: []string{"x"}, Filters: []Filter{many}}, -1, -1},
		{"a negated one never drives", Query{Filters: []Filter{not}}, -1, -1},
	} {
		if d, s := Drivers(c.q); d != c.driver || s != c.several {
			t.Errorf("%s: Drivers = %d, %d; want %d, %d", c.name, d, s, c.driver, c.several)
		}
	}
}
