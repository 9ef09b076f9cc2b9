package demo

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// fullState fills every field of the state, so a field the snapshot forgets
// shows up as a difference.
func fullState(t *testing.T, a *Account) {
	t.Helper()
	for id := range simulations {
		must(t, a.Simulate(id))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.st.rootKeys = []accessKey{{id: "AKIAEXAMPLEROOTKEY01", active: false, created: testNow.Add(-48 * time.Hour)}}
	a.st.rootCerts = []signingCert{{id: "CERT1", active: true, created: testNow.Add(-time.Hour)}}
	a.st.identityCenter = []awsops.IdentityCenterInstance{{ARN: "arn:aws:sso:::instance/ssoins-1", Status: "ACTIVE", Region: "us-east-1"}}
	a.st.securityHub = awsops.SecurityHubStatus{Enabled: true, SubscribedAt: "2026-01-01T00:00:00Z"}
	a.st.recorders = []awsops.ConfigRecorder{{Name: "default", Recording: true}}
	a.st.rules[0].targets = append(a.st.rules[0].targets, awsops.RuleTarget{ID: "notify", ARN: "arn:aws:lambda:us-east-1:" + AccountID + ":function:notify"})
	a.st.rules[0].description = "root sign-ins"
	a.st.users[0].passwordLastUsed = testNow.Add(-time.Hour)
	a.st.users[0].boundary = developerBoundary
	a.st.caller = a.st.users[0].name
	a.st.buckets = []logBucket{{name: "trail-logs", pab: &awsops.PublicAccessBlock{BlockPublicAcls: true}, encryption: "AES256", policy: "{}"}}
	yes := true
	a.st.trailDetails = map[string]trailDetail{"management-events": {bucket: "trail-logs", logValidation: true, globalEvents: true,
		selectors: &awsops.EventSelectors{Custom: true, Basic: []awsops.BasicSelector{{ReadWriteType: "All", IncludeManagementEvents: &yes}}}}}
}

func TestSnapshotCoversEveryStateField(t *testing.T) {
	// Version and Scenario are the snapshot's own.
	if got, want := reflect.TypeOf(Snapshot{}).NumField()-2, reflect.TypeOf(state{}).NumField(); got != want {
		t.Fatalf("Snapshot has %d state fields, state has %d: keep them in step", got, want)
	}
	a := newTest(t, Options{Scenario: "org"})
	fullState(t, a)
	v := reflect.ValueOf(*a.st)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("fullState leaves state.%s zero, so the test cannot see it lost", v.Type().Field(i).Name)
		}
	}
	if got := stateOf(snapshotOf(a.st)); !reflect.DeepEqual(got, a.st) {
		t.Errorf("state → snapshot → state differs:\n got %+v\nwant %+v", got, a.st)
	}
}

func TestSnapshotRestoreRoundTripThroughJSON(t *testing.T) {
	a := newTest(t, Options{})
	must(t, a.Simulate("root-mfa"))
	must(t, a.Simulate("cloudtrail"))
	must(t, a.UpdatePasswordPolicy(context.Background(), recommendedPasswordPolicy()))
	want := readAll(t, a)

	data, err := json.Marshal(a.Snapshot())
	must(t, err)
	if strings.Contains(string(data), "Secret") {
		t.Fatalf("snapshot mentions a secret: %s", data)
	}
	var s Snapshot
	must(t, json.Unmarshal(data, &s))

	b := newTest(t, Options{})
	if reflect.DeepEqual(readAll(t, b), want) {
		t.Fatal("a fresh account already reads like the changed one; the test proves nothing")
	}
	must(t, b.Restore(s))
	if got := readAll(t, b); !reflect.DeepEqual(got, want) {
		t.Errorf("restored account reads differently:\n got %+v\nwant %+v", got, want)
	}
	if len(b.Writes()) != 0 {
		t.Errorf("Restore logged writes: %v", b.Writes())
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	a := newTest(t, Options{})
	s := a.Snapshot()
	s.Users[0].Keys[0].ID = "CHANGED"
	s.Contact.FullName = "Changed"
	if again := a.Snapshot(); again.Users[0].Keys[0].ID == "CHANGED" || again.Contact.FullName == "Changed" {
		t.Fatal("changing a snapshot changed the account")
	}
	must(t, a.Restore(s))
	s.Contact.FullName = "Later"
	if a.Snapshot().Contact.FullName != "Changed" {
		t.Fatal("changing a restored snapshot changed the account")
	}
}

func TestRestoreNextDayKeepsRootUsedToday(t *testing.T) {
	a := newTest(t, Options{})
	s := a.Snapshot()
	later := testNow.Add(72 * time.Hour)
	b := New(Options{Now: func() time.Time { return later }})
	must(t, b.Restore(s))
	if got := b.Snapshot().RootPasswordLastUsed; got.Before(later.Add(-24 * time.Hour)) {
		t.Errorf("root last used %v after restoring on %v: the demo caller is root today", got, later)
	}
	if got := b.Snapshot().Created; !got.Equal(s.Created) {
		t.Errorf("creation time moved: %v, want %v", got, s.Created)
	}
}

func TestRestoreRejectsBadSnapshots(t *testing.T) {
	a := newTest(t, Options{})
	before := a.Snapshot()
	for name, s := range map[string]Snapshot{
		"zero":          {},
		"newer version": {Version: SnapshotVersion + 1, Created: testNow},
		"no created":    {Version: SnapshotVersion},
	} {
		if err := a.Restore(s); err == nil {
			t.Errorf("%s: Restore accepted it", name)
		}
	}
	if !reflect.DeepEqual(a.Snapshot(), before) {
		t.Error("a rejected snapshot changed the account")
	}
}
