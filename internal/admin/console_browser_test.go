package admin_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
)

// screenshots rewrites the console screenshots in docs/ from this test:
// go test ./internal/admin -run Browser -console.screenshots
var screenshots = flag.Bool("console.screenshots", false, "write the console screenshots of TestConsole_Browser into docs/")

// chromium finds a headless-capable Chromium, or "" (ECSLOCAL_CHROMIUM names one).
func chromium() string {
	if p := os.Getenv("ECSLOCAL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browse runs headless Chromium on url with extra flags and answers its stdout.
func browse(t *testing.T, bin, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--hide-scrollbars", "--no-first-run", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v %s: %v\n%s", args, url, err, errb.String())
	}
	return out.String()
}

// TestConsole_Browser loads the console in headless Chromium: the region
// page's script filters and sorts the instance table and opens an
// instance's details from the link, and every page renders. With
// -console.screenshots it rewrites docs/console-*.png.
func TestConsole_Browser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium on PATH (apt-get install chromium, or set ECSLOCAL_CHROMIUM): console browser test skipped")
	}
	e := newEnv(t, ecslocaltest.Options{Seed: 7})
	var ids []string
	for _, c := range []struct{ name, team string }{{"web-1", "web"}, {"web-2", "web"}, {"db-1", "data"}} {
		ids = append(ids, e.run1(t, func(r *classicecs.RunInstancesRequest) {
			r.InstanceName = c.name
			r.Tag = &[]classicecs.RunInstancesTag{{Key: "team", Value: c.team}}
		}))
	}
	if _, err := e.deleteInstances(ids[2:], false, false); err == nil {
		t.Fatal("release of a Running instance without Force was accepted")
	}
	if _, err := e.deleteInstances(ids[:1], true, true); err == nil {
		t.Fatal("a dry run answered success")
	}
	page := e.s.URL + regionPath(e.s.Account, region)

	// Filter and sort from the link, and one instance's details open.
	dom := browse(t, bin, page+"?filter=team%3Dweb&sort=-1#"+ids[1], "--dump-dom")
	hidden := regexp.MustCompile(`<tbody class="inst" id="(i-[^"]+)"( hidden="")?`)
	var shown []string
	for _, m := range hidden.FindAllStringSubmatch(dom, -1) {
		if m[2] == "" {
			shown = append(shown, m[1])
		}
	}
	if len(shown) != 2 || shown[0] != ids[1] || shown[1] != ids[0] {
		t.Errorf("filter team=web sorted by name descending shows %v, want [%s %s] (web-2, web-1)", shown, ids[1], ids[0])
	}
	if !strings.Contains(dom, `aria-controls="more-`+ids[1]+`">hide</button>`) || !strings.Contains(dom, "2 of 3 shown") {
		t.Errorf("the linked instance's details are not open, or the count is missing:\n%s", dom)
	}
	if !strings.Contains(dom, "release refused (running without Force)") {
		t.Errorf("the release preview is missing")
	}

	dir := t.TempDir()
	if *screenshots {
		dir = filepath.Join("..", "..", "docs")
	}
	for _, shot := range []struct{ file, url, size string }{
		{"console-region.png", page + "?open=" + ids[2], "1280,1000"},
		{"console-filtered.png", page + "?filter=web&sort=1", "1280,520"},
		{"console-events.png", e.s.URL + "/_ecslocal/console/events", "1280,700"},
	} {
		path := filepath.Join(dir, shot.file)
		browse(t, bin, shot.url, "--screenshot="+path, "--window-size="+shot.size)
		st, err := os.Stat(path)
		if err != nil {
			t.Fatalf("screenshot %s: %v", shot.file, err)
		}
		if st.Size() < 10_000 {
			t.Errorf("screenshot %s: %d bytes, too small to show the page", shot.file, st.Size())
		}
	}
}
