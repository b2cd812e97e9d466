package vaulttest

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/vault/api"

	"github.com/iglowly/assistant/config/secrets"
)

// The references the compose services read, and one per secret that
// init.sh makes.
const (
	refSessionKeys = "vault://iglowly/edge/session-keys#current"
	refAddressKey  = "vault://iglowly/edge/address-key#key"
	refPepper      = "vault://iglowly/edge/admin-pepper#current"
	refModelKey    = "vault://iglowly/inference/model-keys#openai"
	refRoutePass   = "vault://iglowly/nats/server#route_password"
	refJetStream   = "vault://iglowly/nats/server#jetstream_key"
)

// natsUsers are the NATS users whose passwords the nats-auth job keeps
// in Vault, at nats/users/<user>.
var natsUsers = []string{"edge-1", "edge-2", "sanitiser-1", "sanitiser-2", "inference-1",
	"inference-2", "response-1", "response-2", "admin", "security-relay",
	"security-relay-system"}

// natsRefs returns the references of the given NATS users' passwords.
func natsRefs(users ...string) []string {
	var refs []string
	for _, u := range users {
		refs = append(refs, "vault://iglowly/nats/users/"+u+"#password")
	}
	return refs
}

// canRead maps each compose component and job to the references its
// policy lets it read besides a replica's own NATS password; every
// other reference of allRefs must be denied to it.
var canRead = map[string][]string{
	"edge":      {refSessionKeys, refAddressKey, refPepper},
	"inference": {refModelKey},
	"sanitiser": nil,
	"response":  nil,
	"admin":     append([]string{refSessionKeys, refPepper}, natsRefs("admin")...),
	"relay":     natsRefs("security-relay", "security-relay-system"),
	"natsauth":  append(natsRefs(natsUsers...), refRoutePass, refJetStream),
}

// readable returns the references the AppRole of replica (edge-1, admin,
// relay, ...) may read: its component's, and a component replica's own
// NATS password, no other replica's.
func readable(replica string) []string {
	comp, _, numbered := strings.Cut(replica, "-")
	refs := canRead[comp]
	if numbered {
		refs = append(slices.Clone(refs), natsRefs(replica)...)
	}
	return refs
}

// allRefs is every reference above.
var allRefs = append([]string{refSessionKeys, refAddressKey, refPepper, refModelKey,
	refRoutePass, refJetStream}, natsRefs(natsUsers...)...)

// writeNATSPasswords writes a password for every NATS user with the
// test's own root token, as the nats-auth job would, and returns them
// by reference.
func writeNATSPasswords(t *testing.T, own *api.Client) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, u := range natsUsers {
		pw := "natsPassword" + strings.ReplaceAll(u, "-", "X") + "abcdefghijklmnopqrstuvwxyz"
		_, err := own.KVv2("iglowly").Put(context.Background(), "nats/users/"+u,
			map[string]any{"password": pw}, api.WithCheckAndSet(0))
		must(t, err)
		want[natsRefs(u)[0]] = pw
	}
	return want
}

// appRoleClient logs in with role's role id and user's secret id.
func (v *composeVault) appRoleClient(t *testing.T, role, user string) *api.Client {
	t.Helper()
	c := v.client(t)
	s, err := c.Logical().Write("auth/approle/login", v.loginData(t, role, user))
	must(t, err)
	c.SetToken(s.Auth.ClientToken)
	return c
}

// denied reports whether err is Vault's 403.
func denied(err error) bool {
	var re *api.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusForbidden
}

// checkNATSAuth logs in as the nats-auth job and checks what its policy
// allows with the NATS secrets: create each once (check-and-set 0) and
// read it, but never write a version over an existing one, delete,
// destroy, list, or touch any other secret. It returns the server
// secret it made, by reference.
func checkNATSAuth(t *testing.T, v *composeVault) map[string]string {
	t.Helper()
	kv, ctx := v.appRoleClient(t, "natsauth", "natsauth").KVv2("iglowly"), context.Background()
	server := map[string]any{"route_password": "routePasswordabcdefghijklmnopqrstuvwxyzAB",
		"jetstream_key": "jetStreamKeyabcdefghijklmnopqrstuvwxyzABCDEF"}
	for path, data := range map[string]map[string]any{"nats/server": server,
		"nats/users/x": {"password": "xPasswordabcdefghijklmnopqrstuvwxyzABCD"}} {
		if _, err := kv.Put(ctx, path, data, api.WithCheckAndSet(0)); err != nil {
			t.Fatalf("natsauth cannot create %s: %v", path, err)
		}
		if _, err := kv.Get(ctx, path); err != nil {
			t.Errorf("natsauth cannot read %s: %v", path, err)
		}
		// Version 1 is the one to replace: only the policy stands in the way.
		if _, err := kv.Put(ctx, path, data, api.WithCheckAndSet(1)); !denied(err) {
			t.Errorf("natsauth writes over %s: %v", path, err)
		}
		if _, err := kv.Put(ctx, path, data); !denied(err) {
			t.Errorf("natsauth writes over %s without check-and-set: %v", path, err)
		}
		checkNoDelete(t, kv, path)
	}
	if _, err := kv.Put(ctx, "nats/users/edge-1", map[string]any{"password": "x"},
		api.WithCheckAndSet(1)); !denied(err) {
		t.Errorf("natsauth writes over edge-1's password: %v", err)
	}
	for _, p := range []string{"edge/session-keys", "edge/address-key", "inference/model-keys"} {
		if _, err := kv.Get(ctx, p); !denied(err) {
			t.Errorf("natsauth reads %s: %v", p, err)
		}
	}
	if _, err := kv.Put(ctx, "edge/nats-x", server, api.WithCheckAndSet(0)); !denied(err) {
		t.Errorf("natsauth creates edge/nats-x: %v", err)
	}
	if _, err := v.appRoleClient(t, "natsauth", "natsauth").Logical().List(
		"iglowly/metadata/nats/users"); !denied(err) {
		t.Errorf("natsauth lists the NATS users: %v", err)
	}
	return map[string]string{refRoutePass: server["route_password"].(string),
		refJetStream: server["jetstream_key"].(string)}
}

// checkNoDelete checks that kv's token can neither delete, destroy nor
// drop the metadata of path.
func checkNoDelete(t *testing.T, kv *api.KVv2, path string) {
	t.Helper()
	ctx := context.Background()
	if err := kv.Delete(ctx, path); !denied(err) {
		t.Errorf("deletes %s: %v", path, err)
	}
	if err := kv.Destroy(ctx, path, []int{1}); !denied(err) {
		t.Errorf("destroys %s: %v", path, err)
	}
	if err := kv.DeleteMetadata(ctx, path); !denied(err) {
		t.Errorf("deletes the metadata of %s: %v", path, err)
	}
}

// checkReplicaLogins logs in as every replica gen-secrets.sh wrote a
// secret id for and checks what each may read against want, the value
// of each reference.
func checkReplicaLogins(t *testing.T, v *composeVault, want map[string]string) {
	ids, _ := filepath.Glob(filepath.Join(v.secrets, "vault", "approle", "*.secret-id"))
	if len(ids) < 11 {
		t.Fatalf("%d secret ids, want one per replica and job", len(ids))
	}
	ctx := context.Background()
	for _, f := range ids {
		user := strings.TrimSuffix(filepath.Base(f), ".secret-id")
		comp, _, _ := strings.Cut(user, "-")
		t.Run(user, func(t *testing.T) {
			c, err := v.login(user, user)
			if err != nil {
				t.Fatalf("login as %s: %v", user, err)
			}
			defer c.Close()
			checkReads(t, c, user, want)
			_, err = c.Encrypt(ctx, "iglowly-storage", []byte("x"))
			if (comp == "admin") != (err == nil) {
				t.Errorf("transit encrypt as %s: %v", user, err)
			}
		})
	}
	// Each secret id against the next replica's role, once (edge-1's
	// with edge-2's among them): Vault locks a role id out after 5
	// failed logins (user lockout, Vault 1.13 and later), so each role
	// takes one here.
	for i, f := range ids {
		user := strings.TrimSuffix(filepath.Base(f), ".secret-id")
		other := strings.TrimSuffix(filepath.Base(ids[(i+1)%len(ids)]), ".secret-id")
		var refused *api.ResponseError
		if err := v.rawLogin(t, other, user); !errors.As(err, &refused) {
			t.Errorf("%s's secret id with %s's role: %v, want refused", user, other, err)
		}
	}
}

// loginData is the body of an AppRole login with role's role id and
// user's secret id, as gen-secrets.sh wrote them.
func (v *composeVault) loginData(t *testing.T, role, user string) map[string]any {
	t.Helper()
	approle := filepath.Join(v.secrets, "vault", "approle")
	roleID, err := os.ReadFile(filepath.Join(approle, role+".role-id"))
	must(t, err)
	secretID, err := os.ReadFile(filepath.Join(approle, user+".secret-id"))
	must(t, err)
	return map[string]any{"role_id": string(roleID), "secret_id": string(secretID)}
}

// rawLogin tries one AppRole login, without the retries of
// secrets.Open, with role's role id and user's secret id.
func (v *composeVault) rawLogin(t *testing.T, role, user string) error {
	t.Helper()
	c := v.client(t)
	c.SetMaxRetries(0) // Vault answers 500 to an invalid secret id
	_, err := c.Logical().Write("auth/approle/login", v.loginData(t, role, user))
	return err
}

// checkReads reads every reference as the AppRole of replica and checks
// it gets exactly what readable allows: the value of want, or for the
// keys init.sh made inside Vault, a key ring or key of the right form.
func checkReads(t *testing.T, c *secrets.Client, replica string, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	for _, r := range allRefs {
		allowed := slices.Contains(readable(replica), r)
		var got string
		var err error
		switch r {
		case refSessionKeys, refPepper:
			var k secrets.Keys
			k, err = secrets.LoadKeys(ctx, c, ref(t, r))
			if err == nil && (k.Next.IsZero() || k.CurrentID != 1 || k.NextID != 2) {
				t.Errorf("%s: ring without ids 1 and 2 or without a next key", r)
			}
			got = k.Current.Reveal()
		default:
			var s secrets.Secret
			s, err = c.Get(ctx, ref(t, r))
			got = s.Reveal()
		}
		w, known := want[r]
		switch {
		case !allowed && !errors.Is(err, secrets.ErrDenied):
			t.Errorf("%s read %s: %v, want denied", replica, r, err)
		case allowed && err != nil:
			t.Errorf("%s cannot read %s: %v", replica, r, err)
		case allowed && known && got != w:
			t.Errorf("%s is not the value written there", r)
		case allowed && !known && len(got) < secrets.MinKeyBytes:
			t.Errorf("%s is %d bytes, want at least %d", r, len(got), secrets.MinKeyBytes)
		}
	}
}
