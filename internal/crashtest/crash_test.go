// Package crashtest kills a real ecslocal process with SIGKILL while a
// client creates and releases instances, restarts it on the same SQLite
// file, and checks that nothing acknowledged was lost or half-applied.
// TestCrashPostgres does the same with two replicas on one PostgreSQL
// schema, killing one of them each cycle (ECSLOCAL_TEST_POSTGRES).
//
//	go test ./internal/crashtest                     3 kill cycles (CI)
//	go test ./internal/crashtest -crash.long         20 kill cycles
//	ECSLOCAL_CRASH_CYCLES=50 go test ./internal/crashtest
//	ECSLOCAL_CRASH_SEED=7 …                          other kill moments
//
// The server runs with --freeze-clock and --profile realistic: an instance
// stays Pending, and an accepted release stays in progress (Stopping,
// releasing, with a due time on disk), until the test advances the clock
// through the admin API. So the kills land in every phase of an
// instance's life: while RunInstances commits, while a release is
// accepted, with releases pending on disk across restarts, and in the
// middle of a clock advance that completes many releases at once. (With a
// running clock and the fast profile a release would complete inside the
// request that accepts it, and a kill would almost never find one under way.)
package crashtest

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
	_ "modernc.org/sqlite" // the driver, to read the file the server left
)

var long = flag.Bool("crash.long", false, "run 20 kill cycles instead of 3")

const (
	region = "cn-hangzhou"
	image  = "aliyun_3_x64_20G_alibase_20240528.vhd"
	itype  = "ecs.g7.large"
	// advance is one step of the clock: longer than any realistic delay,
	// so an acknowledged advance completes every release accepted before it.
	advance = "5m"
)

// cycles is how many times the server is killed.
func cycles(t *testing.T) int {
	if s := os.Getenv("ECSLOCAL_CRASH_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("ECSLOCAL_CRASH_CYCLES=%q: want a positive number", s)
		}
		return n
	}
	if *long {
		return 20
	}
	return 3
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds and kills a real server; skipped in -short mode")
	}
	n := cycles(t)
	seed := crashSeed(t)
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	bin := build(t, dir)
	db := filepath.Join(dir, "crash.db")
	w := newWorld()
	t.Logf("%d kill cycles, seed %d, store %s", n, seed, db)

	var net network
	for cycle := 0; cycle < n; cycle++ {
		srv := start(t, bin, "sqlite:"+db)
		c := newClients(t, srv.addr)
		if cycle == 0 {
			net = provision(t, c, srv)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for k := range 2 {
			// A client each: the classic SDK client is not safe for concurrent use.
			own := newClients(t, srv.addr)
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.load(own, nil, net, rand.New(rand.NewSource(seed*100+int64(cycle*10+k))), stop)
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.advanceLoop([]*server{srv}, stop)
		}()
		// Kill at a random moment of the load.
		time.Sleep(time.Duration(150+rng.Intn(600)) * time.Millisecond)
		srv.kill(t)
		close(stop)
		wg.Wait()
		check(t, w, readSQLite(t, db), fmt.Sprintf("after kill %d", cycle+1))
	}

	// A last start: finish every release, then a clean stop.
	srv := start(t, bin, "sqlite:"+db)
	if err := srv.advanceClock(advance); err != nil {
		t.Fatalf("advance after the last restart: %v", err)
	}
	w.advanced(w.snapshotSeq())
	srv.stop(t)
	check(t, w, readSQLite(t, db), "at the end")
	runs, dels := w.counts()
	t.Logf("%d cycles: %d instances acknowledged created, %d releases acknowledged", n, runs, dels)
	if runs == 0 || dels == 0 {
		t.Errorf("the load did too little to prove anything: %d created, %d released", runs, dels)
	}
}

// build compiles ecslocal once into dir.
func build(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "ecslocal")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/ecslocal/ecslocal/cmd/ecslocal")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is one ecslocal process.
type server struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
	exited chan struct{}
}

// start runs ecslocal on store (a --store value) and waits for its address.
func start(t *testing.T, bin, store string) *server {
	t.Helper()
	s := &server{stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--store", store,
		"--freeze-clock", "--profile", "realistic", "--access-key", "crash:crash")
	s.cmd.Stderr = s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		s.cmd.Wait()
		close(s.exited)
	}()
	select {
	case line := <-lines:
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[3], "http://") {
			t.Fatalf("unexpected start line %q", line)
		}
		s.addr = strings.TrimPrefix(f[3], "http://")
	case <-s.exited:
		t.Fatalf("ecslocal exited at start: %s", s.stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("ecslocal did not start: %s", s.stderr)
	}
	return s
}

func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.exited
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.exited
	if !s.cmd.ProcessState.Success() {
		t.Fatalf("ecslocal did not stop cleanly: %v\n%s", s.cmd.ProcessState, s.stderr)
	}
}

var adminClient = &http.Client{Timeout: 30 * time.Second}

// advanceClock moves the emulated clock through the admin API; nil once
// everything that fell due is applied and committed.
func (s *server) advanceClock(d string) error {
	resp, err := adminClient.Post("http://"+s.addr+"/_ecslocal/clock", "application/json", strings.NewReader(`{"advance":"`+d+`"}`))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("advance: status %d", resp.StatusCode)
	}
	return nil
}

type clients struct {
	ecs *classicecs.Client
	vpc *classicvpc.Client
}

func newClients(t *testing.T, addr string) clients {
	t.Helper()
	// No retries: each call is answered once, or not at all.
	cfg := sdk.NewConfig().WithAutoRetry(false).WithScheme("HTTP").WithTimeout(30 * time.Second)
	e, err := classicecs.NewClientWithOptions(region, cfg, credentials.NewAccessKeyCredential("crash", "crash"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := classicvpc.NewClientWithOptions(region, cfg, credentials.NewAccessKeyCredential("crash", "crash"))
	if err != nil {
		t.Fatal(err)
	}
	e.Domain, v.Domain = addr, addr
	return clients{ecs: e, vpc: v}
}

type network struct{ vsw, sg string }

// provision creates the network instances launch into.
func provision(t *testing.T, c clients, s *server) network {
	t.Helper()
	cv := classicvpc.CreateCreateVpcRequest()
	cv.CidrBlock = "10.0.0.0/8"
	vr, err := c.vpc.CreateVpc(cv)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.advanceClock("1m"); err != nil {
		t.Fatal(err)
	}
	zones, err := c.ecs.DescribeZones(classicecs.CreateDescribeZonesRequest())
	if err != nil {
		t.Fatal(err)
	}
	zone := ""
	for _, z := range zones.Zones.Zone {
		for _, ty := range z.AvailableInstanceTypes.InstanceTypes {
			if ty == itype && zone == "" {
				zone = z.ZoneId
			}
		}
	}
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = vr.VpcId, zone, "10.0.0.0/16"
	sr, err := c.vpc.CreateVSwitch(cs)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.advanceClock("1m"); err != nil {
		t.Fatal(err)
	}
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = vr.VpcId
	gr, err := c.ecs.CreateSecurityGroup(cg)
	if err != nil {
		t.Fatal(err)
	}
	return network{vsw: sr.VSwitchId, sg: gr.SecurityGroupId}
}

// What the client knows of an instance's release.
const (
	delNone     = iota
	delUnknown  // the call got no answer: it may or may not have committed
	delAcked    // acknowledged (200)
	delRefused  // an error answer: nothing changed
	delFinished // acknowledged, and a later acknowledged clock advance completed it
)

type instance struct {
	runSeq int64 // the acknowledgement order of its RunInstances
	del    int
	delSeq int64
	// acks counts the DeleteInstances calls that were acknowledged for it:
	// more than one is a release accepted twice.
	acks int
}

// world is what the client side has seen acknowledged: the ground truth
// the store must agree with after every kill.
type world struct {
	mu        sync.Mutex
	seq       int64 // orders acknowledgements
	running   int64 // instances acknowledged before this seq are Running
	instances map[string]*instance
	// races counts releases sent through two replicas at once, by outcome
	// ("one acknowledged, one refused", …); refusals the error codes of
	// the refused calls among them.
	races    map[string]int
	refusals map[string]int
}

func newWorld() *world {
	return &world{instances: map[string]*instance{}, races: map[string]int{}, refusals: map[string]int{}}
}

func (w *world) next() int64 { w.seq++; return w.seq }

func (w *world) snapshotSeq() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.next()
}

// advanced records an acknowledged clock advance whose request was sent
// at seq: everything acknowledged before it is Running, or released.
func (w *world) advanced(seq int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = max(w.running, seq)
	for _, in := range w.instances {
		if in.del == delAcked && in.delSeq < seq {
			in.del = delFinished
		}
	}
}

func (w *world) counts() (runs, dels int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, in := range w.instances {
		runs++
		if in.del == delAcked || in.del == delFinished {
			dels++
		}
	}
	return runs, dels
}

// advanceLoop moves the clock every few tens of milliseconds until stop,
// through each of srvs in turn (replicas share one clock).
func (w *world) advanceLoop(srvs []*server, stop <-chan struct{}) {
	for k := 0; ; k++ {
		select {
		case <-stop:
			return
		case <-time.After(40 * time.Millisecond):
		}
		seq := w.snapshotSeq()
		if srvs[k%len(srvs)].advanceClock(advance) == nil {
			w.advanced(seq)
		}
	}
}

// load creates and releases instances until stop (or the server is gone).
// With a peer (a client of another replica), one release in three is sent
// through both at once: at most one of the two may be acknowledged.
func (w *world) load(c clients, peer *clients, net network, rng *rand.Rand, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		r := classicecs.CreateRunInstancesRequest()
		r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = image, itype, net.vsw, net.sg
		r.Amount = requests.NewInteger(1 + rng.Intn(3))
		if resp, err := c.ecs.RunInstances(r); err == nil {
			w.mu.Lock()
			seq := w.next()
			for _, id := range resp.InstanceIdSets.InstanceIdSet {
				w.instances[id] = &instance{runSeq: seq}
			}
			w.mu.Unlock()
		} else if !answered(err) {
			time.Sleep(5 * time.Millisecond) // the server is gone; stop comes soon
		}
		// Release one to three instances that are Running by now.
		w.mu.Lock()
		var ids []string
		for id, in := range w.instances {
			if in.del == delNone && in.runSeq < w.running {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ids = ids[:min(len(ids), 1+rng.Intn(3))]
		for _, id := range ids {
			w.instances[id].del = delUnknown
		}
		w.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		errs := []error{nil}
		if peer != nil && rng.Intn(3) == 0 {
			var other error
			done := make(chan struct{})
			go func() { defer close(done); other = release(*peer, ids) }()
			errs[0] = release(c, ids)
			<-done
			errs = append(errs, other)
		} else {
			errs[0] = release(c, ids)
		}
		w.released(ids, errs)
	}
}

// release sends one DeleteInstances (Force) of ids.
func release(c clients, ids []string) error {
	d := classicecs.CreateDeleteInstancesRequest()
	d.InstanceId = &ids
	d.Force = requests.NewBoolean(true)
	_, err := c.ecs.DeleteInstances(d)
	return err
}

// released records the answers of the DeleteInstances calls sent at once
// for ids: acknowledged when one was; refused only when every call was
// answered with an error; otherwise unknown.
func (w *world) released(ids []string, errs []error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	seq := w.next()
	acks, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			acks++
		case answered(err):
			refused++
		}
	}
	if len(errs) > 1 {
		w.races[fmt.Sprintf("%d acknowledged, %d refused, %d unanswered", acks, refused, len(errs)-acks-refused)]++
		for _, err := range errs {
			var se *classicerrors.ServerError
			if errors.As(err, &se) {
				w.refusals[se.ErrorCode()]++
			}
		}
	}
	for _, id := range ids {
		in := w.instances[id]
		in.acks += acks
		switch {
		case acks > 0:
			in.del, in.delSeq = delAcked, seq
		case refused == len(errs):
			in.del = delRefused
		}
	}
}

// answered tells an error answer (the call was refused, nothing changed)
// from no answer at all (the server died: it may have committed).
func answered(err error) bool {
	var se *classicerrors.ServerError
	return errors.As(err, &se)
}

// stored is what the SQLite file holds: the fields of the stored
// documents (internal/cloud) the invariants read.
type stored struct {
	instances map[string]storedInstance
	disks     []storedDisk
	enis      []storedENI
}

type storedInstance struct {
	Status    string `json:"status"`
	Releasing bool   `json:"releasing"`
}

type storedDisk struct {
	ID                 string `json:"id"`
	InstanceID         string `json:"instanceId"`
	DeleteWithInstance bool   `json:"deleteWithInstance"`
}

type storedENI struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Attachment *struct {
		InstanceID string `json:"instanceId"`
	} `json:"attachment"`
}

// readSQLite opens the file the killed server left (recovering its WAL, as
// the next start would) and reads every instance, disk and ENI.
func readSQLite(t *testing.T, path string) stored {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("PRAGMA integrity_check: %q, %v", ok, err)
	}
	rows, err := db.Query(`SELECT kind, id, data FROM records WHERE kind IN ('instance', 'disk', 'eni')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	s := stored{instances: map[string]storedInstance{}}
	for rows.Next() {
		var kind, id string
		var data []byte
		if err := rows.Scan(&kind, &id, &data); err != nil {
			t.Fatal(err)
		}
		// The data column packs the document (and its index pairs).
		doc, err := sqlite.Document(data)
		if err != nil {
			t.Fatalf("%s %s: %v", kind, id, err)
		}
		s.add(t, kind, id, doc)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// add decodes one stored document.
func (s *stored) add(t *testing.T, kind, id string, data []byte) {
	t.Helper()
	var err error
	switch kind {
	case "instance":
		var v storedInstance
		err = json.Unmarshal(data, &v)
		s.instances[id] = v
	case "disk":
		var v storedDisk
		err = json.Unmarshal(data, &v)
		s.disks = append(s.disks, v)
	case "eni":
		var v storedENI
		err = json.Unmarshal(data, &v)
		s.enis = append(s.enis, v)
	}
	if err != nil {
		t.Fatalf("decode %s %s: %v", kind, id, err)
	}
}

// check holds the store against what was acknowledged.
func check(t *testing.T, w *world, s stored, when string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := make([]string, 0, len(w.instances))
	for id := range w.instances {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var live, releasing, gone int
	for _, id := range ids {
		in := w.instances[id]
		got, exists := s.instances[id]
		switch {
		case exists && got.Releasing:
			releasing++
		case exists:
			live++
		default:
			gone++
		}
		if in.acks > 1 {
			t.Errorf("%s: instance %s: %d DeleteInstances calls were acknowledged, not at most one", when, id, in.acks)
		}
		switch in.del {
		case delNone, delRefused:
			// Acknowledged created, never released: it must be there.
			if !exists {
				t.Errorf("%s: instance %s was acknowledged created and never released, and is gone", when, id)
			} else if got.Releasing {
				t.Errorf("%s: instance %s is releasing, but no release of it was accepted", when, id)
			}
		case delAcked:
			// An acknowledged release is never undone.
			if exists && !got.Releasing {
				t.Errorf("%s: instance %s was acknowledged released and is back to %s", when, id, got.Status)
			}
		case delFinished:
			// An acknowledged advance completed it.
			if exists {
				t.Errorf("%s: instance %s was released and a later acknowledged clock advance did not complete it (%s, releasing %v)", when, id, got.Status, got.Releasing)
			}
		case delUnknown:
			// Either way is right; but never back to normal halfway.
		}
	}
	// No half-applied release: what hangs off an instance exists only
	// with it.
	for _, d := range s.disks {
		if d.InstanceID == "" {
			continue
		}
		if _, ok := s.instances[d.InstanceID]; !ok {
			t.Errorf("%s: disk %s (deleteWithInstance %v) names instance %s, which is gone", when, d.ID, d.DeleteWithInstance, d.InstanceID)
		}
	}
	for _, e := range s.enis {
		if e.Attachment == nil || e.Attachment.InstanceID == "" {
			continue
		}
		if _, ok := s.instances[e.Attachment.InstanceID]; !ok {
			t.Errorf("%s: %s ENI %s is attached to instance %s, which is gone", when, e.Type, e.ID, e.Attachment.InstanceID)
		}
	}
	// Every stored instance has its system disk: no half-applied creation.
	withDisk := map[string]bool{}
	for _, d := range s.disks {
		withDisk[d.InstanceID] = true
	}
	for id := range s.instances {
		if !withDisk[id] {
			t.Errorf("%s: instance %s has no disk", when, id)
		}
	}
	t.Logf("%s: integrity ok; of %d acknowledged instances %d live, %d releasing, %d gone; %d stored in all",
		when, len(ids), live, releasing, gone, len(s.instances))
}
