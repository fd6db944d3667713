// Command loadgen loads an ecslocal server through the real protocol:
// v1-signed (HMAC-SHA1) POSTs with the parameters in the query, as the
// classic Go SDK sends them, over N keep-alive connections, for a fixed
// duration and at most a bounded number of requests, on loopback only.
//
//	loadgen -addr 127.0.0.1:8790 -workload describe10,describe100 -c 2 -d 5s
//	loadgen -workload ceiling -c 2 -d 5s     the bare net/http ceiling
//	loadgen report FILE…                      results (JSON lines) as a table with ratios
//	loadgen startup -n 5 -- ecslocal serve …  time from exec to a healthy server
//
// Before the timed phase it provisions, through the same protocol, a VPC,
// a vSwitch, a security group and -instances instances. Workloads:
//
//	describe10      DescribeInstances, PageSize 10
//	describe100     DescribeInstances, PageSize 100
//	describe-id     DescribeInstances, InstanceIds of one (random) instance
//	describe-status DescribeInstances, Status=Stopped, PageSize 10
//	describe-tag    DescribeInstances, Tag.1 shard=random, PageSize 10
//	run-delete      RunInstances of 1, then DeleteInstances Force of it
//	delete100       RunInstances Amount 100, then DeleteInstances of all 100
//	                in one call (the figures are the DeleteInstances call's)
//	delete-seeded   DeleteInstances Force of one pre-seeded instance per call
//	mixed           80% describe10, 20% run-delete
//	ceiling         describe10's requests against a bare net/http handler that
//	                answers a fixed JSON body, served by a process of its own on
//	                loopback (loadgen serve-ceiling), as the server under test
//	                is: this machine's ceiling for a server
//	ceiling-inprocess  the same handler inside the load generator's process:
//	                no server process can do this, as it saves the switch
//	                between processes on every call; shown for comparison
//	answer-ceiling  the ceiling's process answering the server's own describe10
//	                answer byte for byte (fetched once): the most any server can
//	                do with an answer that size, all of its own work left out
//	none            provision only
//
// -seeded N says instances i-bp1seed000000000000 … (N of them, bench/seed)
// exist: describe-id, describe-tag and delete-seeded then use those.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
)

const (
	versionECS = "2014-05-26"
	versionVPC = "2016-04-28"
	image      = "aliyun_3_x64_20G_alibase_20240528.vhd"
	itype      = "ecs.g7.large"
)

// SeededID is the id bench/seed gives its k-th instance.
func SeededID(k int) string { return fmt.Sprintf("i-bp1seed%012d", k) }

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve-ceiling" {
		if err := serveCeiling(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen serve-ceiling:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "startup" {
		if err := startup(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen startup:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "report" {
		if err := report(os.Stdout, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen report:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type config struct {
	addr      string
	workloads []string
	conns     int
	duration  time.Duration
	warmup    time.Duration
	maxReq    int64
	instances int
	seeded    int
	key       string
	region    string
	format    string
	label     string
	seed      uint64
	out       string
}

func run(args []string) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var cfg config
	var workloads string
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8790", "server address (loopback only)")
	fs.StringVar(&workloads, "workload", "describe10", "comma-separated workloads (see the package comment)")
	fs.IntVar(&cfg.conns, "c", 2, "connections (one worker each)")
	fs.DurationVar(&cfg.duration, "d", 5*time.Second, "timed phase per workload")
	fs.DurationVar(&cfg.warmup, "warmup", 500*time.Millisecond, "untimed warm-up before each workload")
	fs.Int64Var(&cfg.maxReq, "n", 1_000_000, "at most this many requests per workload")
	fs.IntVar(&cfg.instances, "instances", 100, "instances to provision before the timed phase")
	fs.IntVar(&cfg.seeded, "seeded", 0, "instances bench/seed put in the store (ids i-bp1seed…)")
	fs.StringVar(&cfg.key, "key", "test:test", "access key ID:SECRET")
	fs.StringVar(&cfg.region, "region", "cn-hangzhou", "RegionId")
	fs.StringVar(&cfg.format, "format", "table", "table or json (one JSON object per line)")
	fs.StringVar(&cfg.label, "label", "", "label of the results (e.g. the store)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the workload's random choices")
	fs.StringVar(&cfg.out, "out", "", "also append the results, as JSON lines, to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.workloads = strings.Split(workloads, ",")
	if cfg.conns < 1 || cfg.duration <= 0 || cfg.maxReq < 1 {
		return errors.New("-c, -d and -n must be positive")
	}
	if cfg.format != "table" && cfg.format != "json" {
		return fmt.Errorf("-format %q: want table or json", cfg.format)
	}
	for _, w := range cfg.workloads {
		if _, ok := workloadFuncs[w]; !ok && !isCeiling(w) && w != "none" {
			return fmt.Errorf("unknown workload %q", w)
		}
	}
	id, secret, ok := strings.Cut(cfg.key, ":")
	if !ok {
		return fmt.Errorf("-key %q: want ID:SECRET", cfg.key)
	}

	// One provisioned world for every workload against the server; the
	// ceiling gets a server of its own.
	var srvEnv *env
	var results []Result
	var answer []byte // answer-ceiling's body
	for _, w := range cfg.workloads {
		e := srvEnv
		if w == "ceiling" || w == "ceiling-inprocess" {
			start := startCeilingProcess
			if w == "ceiling-inprocess" {
				start = startCeiling
			}
			stop, addr, err := start(ceilingBody)
			if err != nil {
				return err
			}
			defer stop()
			e = &env{cfg: cfg, c: newClient(addr, id, secret, cfg.region, cfg.conns)}
		} else if w == "answer-ceiling" {
			if srvEnv == nil {
				return errors.New("answer-ceiling: name a server workload before it")
			}
			a := srvEnv.c.call(versionECS, "DescribeInstances", map[string]string{"PageSize": "10"})
			if a.code != "OK" {
				return fmt.Errorf("answer-ceiling: DescribeInstances: %d %s", a.status, a.code)
			}
			answer = a.body
			stop, addr, err := startCeilingProcess(answer)
			if err != nil {
				return err
			}
			defer stop()
			e = &env{cfg: cfg, c: newClient(addr, id, secret, cfg.region, cfg.conns)}
		} else if e == nil {
			if err := loopbackOnly(cfg.addr); err != nil {
				return err
			}
			e = &env{cfg: cfg, c: newClient(cfg.addr, id, secret, cfg.region, cfg.conns)}
			if cfg.instances > 0 || needsNetwork(cfg.workloads) {
				if err := e.provision(); err != nil {
					return fmt.Errorf("provision: %w", err)
				}
			}
			srvEnv = e
		}
		if w == "none" {
			continue
		}
		fn := workloadFuncs[w]
		if isCeiling(w) {
			fn = workloadFuncs["describe10"]
		}
		total, probed := e.probeTotal(w)
		r := e.measure(w, fn)
		if probed {
			// The answer's TotalCount once, before the timed phase: the
			// scale run shows what each call counted (kept counts answer
			// it from one row however many match).
			r.Extra = map[string]float64{"totalCount": float64(total)}
		}
		if w == "answer-ceiling" {
			r.Extra = map[string]float64{"answerBytes": float64(len(answer))}
		}
		results = append(results, r)
		if cfg.format == "json" {
			b, _ := json.Marshal(r)
			fmt.Println(string(b))
		}
		if err := appendResult(cfg.out, r); err != nil {
			return err
		}
		e.c.hc.CloseIdleConnections()
	}
	if cfg.format == "table" && len(results) > 0 {
		printTable(os.Stdout, results, 0)
	}
	return nil
}

// probeTotal calls a describe workload of seeded instances once and answers
// its TotalCount; false for other workloads or runs without -seeded.
func (e *env) probeTotal(w string) (int, bool) {
	if e.cfg.seeded == 0 {
		return 0, false
	}
	var p map[string]string
	switch w {
	case "describe-id":
		p = map[string]string{"InstanceIds": `["` + SeededID(1) + `"]`} // odd: never deleted by delete-seeded
	case "describe-status":
		p = map[string]string{"Status": "Stopped", "PageSize": "10"}
	case "describe-tag":
		p = map[string]string{"Tag.1.Key": "shard", "Tag.1.Value": "1", "PageSize": "10"}
	case "describe10":
		p = map[string]string{"PageSize": "10"}
	default:
		return 0, false
	}
	var out struct{ TotalCount int }
	a := e.c.call(versionECS, "DescribeInstances", p)
	if a.code != "OK" || json.Unmarshal(a.body, &out) != nil {
		return -1, true
	}
	return out.TotalCount, true
}

// needsNetwork tells whether a workload launches instances.
func needsNetwork(workloads []string) bool {
	for _, w := range workloads {
		switch w {
		case "run-delete", "delete100", "mixed":
			return true
		}
	}
	return false
}

// loopbackOnly refuses an address that is not on this machine's loopback:
// a load generator must never be pointed at someone else's server.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: want HOST:PORT", addr)
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("-addr %q: cannot resolve %s", addr, host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("-addr %q: %s is not a loopback address; loadgen loads loopback only", addr, ip)
		}
	}
	return nil
}

// isCeiling tells the workloads that load a bare handler, not the server.
func isCeiling(w string) bool {
	return w == "ceiling" || w == "ceiling-inprocess" || w == "answer-ceiling"
}

// startCeilingProcess runs the bare handler answering body in a process of
// its own (this program, serve-ceiling) and answers its address and how to
// stop it.
func startCeilingProcess(body []byte) (func(), string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	f, err := os.CreateTemp("", "loadgen-ceiling-*.json")
	if err != nil {
		return nil, "", err
	}
	defer os.Remove(f.Name()) // the child has read it once it answers its address
	if _, err := f.Write(body); err != nil {
		f.Close()
		return nil, "", err
	}
	f.Close()
	cmd := exec.Command(self, "serve-ceiling", "-body", f.Name())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // closed when we exit: the child then exits too
	if err != nil {
		return nil, "", err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop := func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		stop()
		return nil, "", fmt.Errorf("serve-ceiling did not start: %q %v", line, err)
	}
	return stop, addr, nil
}

// serveCeiling is the ceiling's process: the bare handler answering the
// -body file (the fixed empty page without one) until stdin closes.
func serveCeiling(args []string) error {
	fs := flag.NewFlagSet("loadgen serve-ceiling", flag.ContinueOnError)
	bodyFile := fs.String("body", "", "file holding the answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body := ceilingBody
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			return err
		}
		body = b
	}
	stop, addr, err := startCeiling(body)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Printf("listening %s\n", addr)
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// ceilingBody is the ceiling's fixed answer: an empty page.
var ceilingBody = []byte(`{"RequestId":"2D1A6B5E-2C0F-4E33-9E4D-6B8C0E8F2A11","TotalCount":0,"PageNumber":1,"PageSize":10,"Instances":{"Instance":[]}}`)

// startCeiling serves a bare net/http handler answering body on loopback:
// the most any HTTP server can do here with this client.
func startCeiling(body []byte) (func(), string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	length := strconv.Itoa(len(body))
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("Content-Length", length)
		w.Write(body)
	})}
	go hs.Serve(ln)
	return func() { hs.Close() }, ln.Addr().String(), nil
}

// client signs and sends RPC calls.
type client struct {
	url            string
	hc             *http.Client
	id, secret     string
	region         string
	noncePrefix    string
	nonce          atomic.Uint64
	timestampCache atomic.Pointer[stamp]
}

type stamp struct {
	sec int64
	s   string
}

func newClient(addr, id, secret, region string, conns int) *client {
	var p [8]byte
	rand.Read(p[:])
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &client{
		url: "http://" + addr + "/", hc: &http.Client{Transport: tr, Timeout: 60 * time.Second},
		id: id, secret: secret, region: region, noncePrefix: hex.EncodeToString(p[:]),
	}
}

func (c *client) timestamp() string {
	now := time.Now().UTC()
	if s := c.timestampCache.Load(); s != nil && s.sec == now.Unix() {
		return s.s
	}
	s := &stamp{sec: now.Unix(), s: now.Format("2006-01-02T15:04:05Z")}
	c.timestampCache.Store(s)
	return s.s
}

// answer is one call's outcome: code is "OK" or the error code
// ("transport" when no HTTP answer came).
type answer struct {
	status int
	code   string
	body   []byte
}

// call sends one v1-signed POST with every parameter in the query.
func (c *client) call(version, action string, params map[string]string) answer {
	v := make(url.Values, len(params)+10)
	for k, val := range params {
		v.Set(k, val)
	}
	v.Set("Format", "JSON")
	v.Set("Version", version)
	v.Set("Action", action)
	v.Set("AccessKeyId", c.id)
	v.Set("SignatureMethod", "HMAC-SHA1")
	v.Set("SignatureVersion", "1.0")
	v.Set("SignatureNonce", c.noncePrefix+strconv.FormatUint(c.nonce.Add(1), 10))
	v.Set("Timestamp", c.timestamp())
	if _, ok := params["RegionId"]; !ok {
		v.Set("RegionId", c.region)
	}
	v.Set("Signature", rpc.V1Signature(c.secret, rpc.V1StringToSign(http.MethodPost, v)))
	req, err := http.NewRequest(http.MethodPost, c.url+"?"+v.Encode(), nil)
	if err != nil {
		return answer{code: "transport"}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{code: "transport"}
	}
	body, err := readBody(resp)
	resp.Body.Close()
	if err != nil {
		return answer{status: resp.StatusCode, code: "transport"}
	}
	a := answer{status: resp.StatusCode, code: "OK", body: body}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code string }
		if json.Unmarshal(body, &e) != nil || e.Code == "" {
			e.Code = "HTTP" + strconv.Itoa(resp.StatusCode)
		}
		a.code = e.Code
	}
	return a
}

// readBody reads an answer into one buffer of its announced length:
// io.ReadAll would grow its buffer from 512 bytes, and the load generator
// shares the cores with the server it measures.
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= 64<<20 {
		body := make([]byte, n)
		_, err := io.ReadFull(resp.Body, body)
		return body, err
	}
	return io.ReadAll(resp.Body)
}

// must is a provisioning call: an error answer stops the run.
func (c *client) must(version, action string, params map[string]string, out any) error {
	a := c.call(version, action, params)
	if a.code != "OK" {
		return fmt.Errorf("%s: %d %s %s", action, a.status, a.code, a.body)
	}
	if out != nil {
		return json.Unmarshal(a.body, out)
	}
	return nil
}

// env is a provisioned world: the network to launch into and the
// instances the describe workloads read.
type env struct {
	cfg       config
	c         *client
	vsw, sg   string
	instances []string
}

func (e *env) provision() error {
	if e.vsw != "" {
		return nil
	}
	var vpc struct{ VpcId string }
	if err := e.c.must(versionVPC, "CreateVpc", map[string]string{"CidrBlock": "10.0.0.0/8"}, &vpc); err != nil {
		return err
	}
	var zones struct {
		Zones struct {
			Zone []struct {
				ZoneId                 string
				AvailableInstanceTypes struct{ InstanceTypes []string }
			}
		}
	}
	if err := e.c.must(versionECS, "DescribeZones", nil, &zones); err != nil {
		return err
	}
	zone := ""
	for _, z := range zones.Zones.Zone {
		if zone == "" && slices.Contains(z.AvailableInstanceTypes.InstanceTypes, itype) {
			zone = z.ZoneId
		}
	}
	if zone == "" {
		return fmt.Errorf("no zone offers %s", itype)
	}
	// The VPC may take a moment under the realistic profile.
	var vsw struct{ VSwitchId string }
	var err error
	for range 100 {
		if err = e.c.must(versionVPC, "CreateVSwitch", map[string]string{"VpcId": vpc.VpcId, "ZoneId": zone, "CidrBlock": "10.0.0.0/16"}, &vsw); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	var sg struct{ SecurityGroupId string }
	if err := e.c.must(versionECS, "CreateSecurityGroup", map[string]string{"VpcId": vpc.VpcId}, &sg); err != nil {
		return err
	}
	e.vsw, e.sg = vsw.VSwitchId, sg.SecurityGroupId
	for len(e.instances) < e.cfg.instances {
		n := min(100, e.cfg.instances-len(e.instances))
		var err error
		var ids []string
		for range 100 {
			if ids, err = e.runInstances(n); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond) // the vSwitch may still be Pending
		}
		if err != nil {
			return err
		}
		e.instances = append(e.instances, ids...)
	}
	return nil
}

func (e *env) runParams(amount int) map[string]string {
	return map[string]string{"ImageId": image, "InstanceType": itype, "VSwitchId": e.vsw,
		"SecurityGroupId": e.sg, "Amount": strconv.Itoa(amount), "InstanceChargeType": "PostPaid"}
}

func (e *env) runInstances(n int) ([]string, error) {
	var out struct {
		InstanceIdSets struct{ InstanceIdSet []string }
	}
	err := e.c.must(versionECS, "RunInstances", e.runParams(n), &out)
	return out.InstanceIdSets.InstanceIdSet, err
}

// worker is one connection's loop state.
type worker struct {
	e   *env
	rng *mrand.Rand
	rec *recorder
	// next hands out pre-seeded instances to delete, once each.
	next *atomic.Int64
}

// timed sends one call and records it; primary says whether it is among
// the workload's figures.
func (w *worker) timed(action string, primary bool, version string, params map[string]string) answer {
	start := time.Now()
	a := w.e.c.call(version, action, params)
	w.rec.add(action, primary, a.code, time.Since(start))
	return a
}

// workloadFuncs are one iteration of each workload; false ends the worker.
var workloadFuncs = map[string]func(w *worker) bool{
	"describe10": func(w *worker) bool {
		w.timed("DescribeInstances", true, versionECS, map[string]string{"PageSize": "10"})
		return true
	},
	"describe100": func(w *worker) bool {
		w.timed("DescribeInstances", true, versionECS, map[string]string{"PageSize": "100"})
		return true
	},
	"describe-id": func(w *worker) bool {
		w.timed("DescribeInstances", true, versionECS, map[string]string{"InstanceIds": `["` + w.pick() + `"]`})
		return true
	},
	"describe-status": func(w *worker) bool {
		w.timed("DescribeInstances", true, versionECS, map[string]string{"Status": "Stopped", "PageSize": "10"})
		return true
	},
	"describe-tag": func(w *worker) bool {
		shards := max(w.e.cfg.seeded/10, 1)
		w.timed("DescribeInstances", true, versionECS, map[string]string{"Tag.1.Key": "shard", "Tag.1.Value": strconv.Itoa(w.rng.IntN(shards)), "PageSize": "10"})
		return true
	},
	"run-delete": runDelete,
	"delete100": func(w *worker) bool {
		var out struct {
			InstanceIdSets struct{ InstanceIdSet []string }
		}
		a := w.timed("RunInstances", false, versionECS, w.e.runParams(100))
		if a.code != "OK" || json.Unmarshal(a.body, &out) != nil {
			return true
		}
		p := map[string]string{"Force": "true"}
		for i, id := range out.InstanceIdSets.InstanceIdSet {
			p["InstanceId."+strconv.Itoa(i+1)] = id
		}
		w.timed("DeleteInstances", true, versionECS, p)
		return true
	},
	"delete-seeded": func(w *worker) bool {
		k := w.next.Add(1) - 1
		if k >= int64(max(w.e.cfg.seeded/10, 1)) {
			return false // never delete more than a tenth of what is stored
		}
		// Spread over the whole id range, one instance once.
		stride := int64(max(w.e.cfg.seeded/max(w.e.cfg.seeded/10, 1), 1))
		w.timed("DeleteInstances", true, versionECS, map[string]string{"InstanceId.1": SeededID(int(k * stride)), "Force": "true"})
		return true
	},
	"mixed": func(w *worker) bool {
		if w.rng.IntN(100) < 80 {
			w.timed("DescribeInstances", true, versionECS, map[string]string{"PageSize": "10"})
			return true
		}
		return runDelete(w)
	},
}

func runDelete(w *worker) bool {
	var out struct {
		InstanceIdSets struct{ InstanceIdSet []string }
	}
	a := w.timed("RunInstances", true, versionECS, w.e.runParams(1))
	if a.code != "OK" || json.Unmarshal(a.body, &out) != nil || len(out.InstanceIdSets.InstanceIdSet) == 0 {
		return true
	}
	w.timed("DeleteInstances", true, versionECS, map[string]string{"InstanceId.1": out.InstanceIdSets.InstanceIdSet[0], "Force": "true"})
	return true
}

// pick is a random provisioned (or seeded) instance.
func (w *worker) pick() string {
	if w.e.cfg.seeded > 0 {
		return SeededID(w.rng.IntN(w.e.cfg.seeded))
	}
	if len(w.e.instances) == 0 {
		return "i-none"
	}
	return w.e.instances[w.rng.IntN(len(w.e.instances))]
}

// recorder collects one worker's latencies by action.
type recorder struct {
	on      bool
	actions map[string]*series
	primary *series
	count   *atomic.Int64
	limit   int64
}

type series struct {
	lat    []time.Duration
	errors map[string]int64
}

func newRecorder(count *atomic.Int64, limit int64) *recorder {
	return &recorder{actions: map[string]*series{}, primary: &series{errors: map[string]int64{}}, count: count, limit: limit}
}

func (r *recorder) add(action string, primary bool, code string, d time.Duration) {
	if !r.on {
		return
	}
	r.count.Add(1)
	s := r.actions[action]
	if s == nil {
		s = &series{errors: map[string]int64{}}
		r.actions[action] = s
	}
	s.lat = append(s.lat, d)
	if code != "OK" {
		s.errors[code]++
	}
	if primary {
		r.primary.lat = append(r.primary.lat, d)
		if code != "OK" {
			r.primary.errors[code]++
		}
	}
}

// Result is one workload's figures; report reads them back.
type Result struct {
	Workload string                 `json:"workload"`
	Label    string                 `json:"label,omitempty"`
	Conns    int                    `json:"conns"`
	Seconds  float64                `json:"seconds"`
	Requests int64                  `json:"requests"` // the workload's calls (primary)
	RPS      float64                `json:"rps"`
	P50ms    float64                `json:"p50ms"`
	P99ms    float64                `json:"p99ms"`
	Errors   map[string]int64       `json:"errors,omitempty"`
	Actions  map[string]ActionStats `json:"actions,omitempty"`
	// Extra carries other figures of a run (resident memory, file sizes),
	// written by bench/run.sh.
	Extra map[string]float64 `json:"extra,omitempty"`
}

// ActionStats are the figures of one action within a workload.
type ActionStats struct {
	Requests int64            `json:"requests"`
	RPS      float64          `json:"rps"`
	P50ms    float64          `json:"p50ms"`
	P99ms    float64          `json:"p99ms"`
	Errors   map[string]int64 `json:"errors,omitempty"`
}

func (e *env) measure(name string, fn func(*worker) bool) Result {
	var count atomic.Int64
	var next atomic.Int64
	workers := make([]*worker, e.cfg.conns)
	for i := range workers {
		workers[i] = &worker{e: e, rng: mrand.New(mrand.NewPCG(e.cfg.seed, uint64(i))), rec: newRecorder(&count, e.cfg.maxReq), next: &next}
	}
	var stop atomic.Bool
	var on atomic.Bool
	var wg sync.WaitGroup
	started := make(chan struct{})
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-started
			// A worker that has recorded nothing when the phase ends runs
			// one more iteration, recorded: a workload slower than the phase
			// (delete100 on a slow store, with --short's 1 s) reports its
			// latency instead of no call; the phase lasts until it ends.
			for !stop.Load() || (!w.rec.on && on.Load()) {
				if !w.rec.on && on.Load() {
					w.rec.on = true
				}
				if w.rec.on && count.Load() >= e.cfg.maxReq {
					return
				}
				if !fn(w) {
					return
				}
			}
		}()
	}
	close(started)
	// delete-seeded has nothing to warm: each seeded instance goes once.
	if name != "delete-seeded" && e.cfg.warmup > 0 {
		time.Sleep(e.cfg.warmup)
	}
	begin := time.Now()
	on.Store(true)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-time.After(e.cfg.duration):
	case <-done:
	}
	stop.Store(true)
	<-done
	// Calls under way at the deadline finish and count: the phase ends
	// with the last of them.
	elapsed := time.Since(begin)

	r := Result{Workload: name, Label: e.cfg.label, Conns: e.cfg.conns, Seconds: round(elapsed.Seconds(), 3), Errors: map[string]int64{}, Actions: map[string]ActionStats{}}
	var all []time.Duration
	byAction := map[string]*series{}
	for _, w := range workers {
		all = append(all, w.rec.primary.lat...)
		for code, n := range w.rec.primary.errors {
			r.Errors[code] += n
		}
		for a, s := range w.rec.actions {
			t := byAction[a]
			if t == nil {
				t = &series{errors: map[string]int64{}}
				byAction[a] = t
			}
			t.lat = append(t.lat, s.lat...)
			for code, n := range s.errors {
				t.errors[code] += n
			}
		}
	}
	r.Requests = int64(len(all))
	r.RPS = round(float64(len(all))/elapsed.Seconds(), 1)
	r.P50ms, r.P99ms = percentile(all, 0.50), percentile(all, 0.99)
	for a, s := range byAction {
		st := ActionStats{Requests: int64(len(s.lat)), RPS: round(float64(len(s.lat))/elapsed.Seconds(), 1), Errors: s.errors}
		st.P50ms, st.P99ms = percentile(s.lat, 0.50), percentile(s.lat, 0.99)
		if len(st.Errors) == 0 {
			st.Errors = nil
		}
		r.Actions[a] = st
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	return r
}

func percentile(lat []time.Duration, q float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	i := min(int(q*float64(len(lat))), len(lat)-1)
	return round(float64(lat[i].Microseconds())/1000, 3)
}

func round(x float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(x*p+0.5)) / p
}

// printTable writes results; with ceiling > 0 a column gives each
// result's requests/s as a share of it.
func printTable(w io.Writer, results []Result, ceiling float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "workload\tlabel\tconns\tsecs\tcalls\tcalls/s\tp50 ms\tp99 ms\t"
	if ceiling > 0 {
		head += "of ceiling\t"
	}
	fmt.Fprintln(tw, head+"errors\t")
	for _, r := range results {
		line := fmt.Sprintf("%s\t%s\t%d\t%.1f\t%d\t%.0f\t%.2f\t%.2f\t", r.Workload, r.Label, r.Conns, r.Seconds, r.Requests, r.RPS, r.P50ms, r.P99ms)
		if ceiling > 0 {
			line += fmt.Sprintf("%.1f%%\t", 100*r.RPS/ceiling)
		}
		fmt.Fprintln(tw, line+errorsString(r.Errors)+"\t")
	}
	tw.Flush()
}

func errorsString(m map[string]int64) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s:%d", k, m[k]))
	}
	return strings.Join(parts, ",")
}

// report reads results (JSON lines; other lines are ignored) and prints
// them as one table, each with its share of the ceiling measured in the
// same files.
func report(w io.Writer, files []string) error {
	var results []Result
	read := func(r io.Reader) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if !strings.HasPrefix(line, "{") {
				continue
			}
			var res Result
			if err := json.Unmarshal([]byte(line), &res); err != nil || res.Workload == "" {
				continue
			}
			results = append(results, res)
		}
		return sc.Err()
	}
	if len(files) == 0 {
		if err := read(os.Stdin); err != nil {
			return err
		}
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		err = read(fh)
		fh.Close()
		if err != nil {
			return err
		}
	}
	var load, starts, extras []Result
	for _, r := range results {
		switch {
		case r.Workload == "startup":
			starts = append(starts, r)
		case r.Requests > 0:
			load = append(load, r)
		}
		if len(r.Extra) > 0 {
			extras = append(extras, r)
		}
	}
	// With several ceiling runs, the highest: no figure looks better
	// than it is.
	ceiling := 0.0
	for _, r := range load {
		if r.Workload == "ceiling" {
			ceiling = max(ceiling, r.RPS)
		}
	}
	fmt.Fprintln(w, "Throughput and latency (share of the ceiling measured in the same run):")
	printTable(w, load, ceiling)
	// describe10 against the bare handler sending the same answer: how much
	// of the gap to the ceiling is the answer's size, not the server's work.
	for _, a := range load {
		if a.Workload != "answer-ceiling" {
			continue
		}
		for _, r := range load {
			if r.Workload == "describe10" && r.Label == a.Label && a.RPS > 0 {
				fmt.Fprintf(w, "%s: describe10 runs at %.0f%% of a bare handler sending its answer (%.0f bytes) from memory.\n", r.Label, 100*r.RPS/a.RPS, a.Extra["answerBytes"])
			}
		}
	}

	// Per-action figures of the workloads with several actions.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	multi := false
	for _, r := range load {
		if len(r.Actions) < 2 {
			continue
		}
		if !multi {
			fmt.Fprintln(w, "\nBy action:")
			fmt.Fprintln(tw, "workload\tlabel\taction\tcalls\tcalls/s\tp50 ms\tp99 ms\terrors\t")
			multi = true
		}
		names := make([]string, 0, len(r.Actions))
		for a := range r.Actions {
			names = append(names, a)
		}
		sort.Strings(names)
		for _, a := range names {
			s := r.Actions[a]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%.2f\t%.2f\t%s\t\n", r.Workload, r.Label, a, s.Requests, s.RPS, s.P50ms, s.P99ms, errorsString(s.Errors))
		}
	}
	tw.Flush()

	// Scale: each workload's p50 against its p50 at the fewest stored.
	type point struct {
		stored int
		r      Result
	}
	byWorkload := map[string][]point{}
	var order []string
	for _, r := range load {
		kind, n, ok := strings.Cut(r.Label, "stored=")
		if !ok {
			continue
		}
		stored, err := strconv.Atoi(strings.Fields(n)[0])
		if err != nil {
			continue
		}
		// Labels that differ before "stored=" (the file cached or not)
		// are series of their own.
		key := r.Workload
		if kind = strings.TrimRight(kind, ", "); kind != "sqlite" && kind != "" {
			key += " (" + kind + ")"
		}
		if _, seen := byWorkload[key]; !seen {
			order = append(order, key)
		}
		byWorkload[key] = append(byWorkload[key], point{stored, r})
	}
	if len(order) > 0 {
		fmt.Fprintln(w, "\nScale (p50 against the same workload at the fewest instances stored):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "workload\tstored\tcalls/s\tp50 ms\tp99 ms\tp50 ratio\t")
		for _, wl := range order {
			pts := byWorkload[wl]
			sort.Slice(pts, func(i, j int) bool { return pts[i].stored < pts[j].stored })
			for _, p := range pts {
				ratio := 0.0
				if pts[0].r.P50ms > 0 {
					ratio = p.r.P50ms / pts[0].r.P50ms
				}
				fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.2f\t%.2f\t%.2fx\t\n", wl, p.stored, p.r.RPS, p.r.P50ms, p.r.P99ms, ratio)
			}
		}
		tw.Flush()
	}

	if len(starts) > 0 {
		fmt.Fprintln(w, "\nStart-up, exec to GET /_ecslocal/health answering 200:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "label\tstarts\tmedian ms\tmax ms\t")
		for _, r := range starts {
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t\n", r.Label, r.Requests, r.P50ms, r.P99ms)
		}
		tw.Flush()
	}
	if len(extras) > 0 {
		fmt.Fprintln(w, "\nResources:")
		for _, r := range extras {
			keys := make([]string, 0, len(r.Extra))
			for k := range r.Extra {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s=%g", k, r.Extra[k]))
			}
			label := r.Label
			if r.Workload != "resources" {
				label += " " + r.Workload
			}
			fmt.Fprintf(w, "  %s: %s\n", label, strings.Join(parts, " "))
		}
	}
	return nil
}

// startup starts a server n times and times each start, from just before
// exec to GET /_ecslocal/health answering 200, then stops it (SIGTERM).
// "{n}" in the command line becomes the start's number (a fresh file each).
func startup(args []string) error {
	fs := flag.NewFlagSet("loadgen startup", flag.ContinueOnError)
	n := fs.Int("n", 5, "starts")
	label := fs.String("label", "", "label of the result")
	format := fs.String("format", "table", "table or json")
	out := fs.String("out", "", "also append the result, as a JSON line, to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if len(argv) == 0 || *n < 1 {
		return errors.New("usage: loadgen startup [-n N] [-label L] -- ECSLOCAL serve --addr 127.0.0.1:0 …")
	}
	var times []time.Duration
	for i := range *n {
		args := make([]string, len(argv))
		for k, a := range argv {
			args[k] = strings.ReplaceAll(a, "{n}", strconv.Itoa(i))
		}
		d, err := startOnce(args)
		if err != nil {
			return err
		}
		times = append(times, d)
	}
	slices.Sort(times)
	r := Result{Workload: "startup", Label: *label, Requests: int64(len(times)),
		P50ms: round(float64(times[len(times)/2].Microseconds())/1000, 1), P99ms: round(float64(times[len(times)-1].Microseconds())/1000, 1)}
	if err := appendResult(*out, r); err != nil {
		return err
	}
	if *format == "json" {
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
		return nil
	}
	fmt.Printf("%s: %d starts, median %.1f ms, max %.1f ms\n", r.Label, r.Requests, r.P50ms, r.P99ms)
	return nil
}

func startOnce(argv []string) (time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		cmd.Wait()
		return 0, fmt.Errorf("%s did not start: %s", argv[0], stderr.String())
	}
	go io.Copy(io.Discard, out)
	f := strings.Fields(sc.Text())
	if len(f) < 4 || !strings.HasPrefix(f[3], "http://") {
		return 0, fmt.Errorf("unexpected start line %q", sc.Text())
	}
	addr := strings.TrimPrefix(f[3], "http://")
	if err := loopbackOnly(addr); err != nil {
		return 0, err
	}
	hc := &http.Client{Timeout: 5 * time.Second}
	for deadline := t0.Add(60 * time.Second); time.Now().Before(deadline); {
		resp, err := hc.Get("http://" + addr + "/_ecslocal/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(t0), nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	return 0, errors.New("no healthy answer within 60 s")
}

// appendResult appends r as a JSON line to file ("" appends nothing).
func appendResult(file string, r Result) error {
	if file == "" {
		return nil
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(r)
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
