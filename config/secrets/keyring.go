package secrets

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// ErrTooSoon: a rotation now would end sessions before their grace, or
// make a key sign that some component may not have read yet.
var ErrTooSoon = errors.New("too soon to rotate")

// maxGrace is the longest grace a rotation accepts.
const maxGrace = 90 * 24 * time.Hour

// Rotation says how to rotate a key ring.
type Rotation struct {
	// Now is when the rotation happens.
	Now time.Time
	// Grace is how long the current key keeps verifying once rotated out,
	// more than 0 and at most 90 days: at least the sessions' hard
	// lifetime plus Settle.
	Grace time.Duration
	// Settle is how long a ring must have been written before its next
	// key may sign: the components' refresh interval plus their reload
	// period, so that every one of them verifies that key already.
	Settle time.Duration
	// Force rotates even when it is too soon, ending the previous key's
	// sessions early or signing with a key some components may not
	// verify yet. For a leaked key.
	Force bool
	// NextOnly publishes a next key if the ring has none, and changes
	// nothing else: for a ring written before next keys existed.
	NextOnly bool
}

// Rotate returns the ring after a rotation as r says: the next key
// becomes current (a new random one if the ring has none), the current
// key becomes the previous one, verifying until r.Now + r.Grace, and a
// new random next key is published, each new key with an id the ring
// does not use. The ring holds one previous key, so a rotation while the
// previous key still verifies, or within r.Settle of written (when the
// ring was last written), fails with ErrTooSoon unless r.Force. A zero
// ring (one that does not exist) becomes a current and a next key.
func (k Keys) Rotate(r Rotation, written time.Time) (Keys, error) {
	if r.Grace <= 0 || r.Grace > maxGrace {
		return Keys{}, fmt.Errorf("%w: grace must be more than 0 and at most 90 days",
			ErrInvalid)
	}
	if k.Current.IsZero() {
		return Keys{Current: newRingKey(), CurrentID: 1, Next: newRingKey(), NextID: 2}, nil
	}
	ids := ringIDs{k.CurrentID: true, k.NextID: true}
	last := max(k.CurrentID, k.NextID)
	if r.NextOnly {
		return k.withNext(ids, last), nil
	}
	if err := k.tooSoon(r, written); err != nil && !r.Force {
		return Keys{}, err
	}
	out := Keys{Previous: k.Current, PreviousID: k.CurrentID,
		PreviousUntil: r.Now.Add(r.Grace).UTC().Truncate(time.Second)}
	out.Current, out.CurrentID = k.Next, k.NextID
	if k.Next.IsZero() {
		out.Current, out.CurrentID = newRingKey(), ids.take(last)
		last = out.CurrentID
	}
	out.Next, out.NextID = newRingKey(), ids.take(last)
	return out, nil
}

// withNext returns k with a new next key if it has none, and with ids
// that it can be written with: a previous key whose derived id is the
// current one's is left out, as components leave it out when they read
// the ring.
func (k Keys) withNext(ids ringIDs, last byte) Keys {
	if k.IDsDerived && !k.Previous.IsZero() && k.PreviousID == k.CurrentID {
		k.Previous, k.PreviousID, k.PreviousUntil = Secret{}, 0, time.Time{}
	}
	ids[k.PreviousID] = true
	if k.Next.IsZero() {
		k.Next, k.NextID = newRingKey(), ids.take(max(last, k.PreviousID))
	}
	k.IDsDerived = false
	return k
}

// tooSoon says why rotating k at r.Now would cut a session short or
// leave a gap, if it would. written is on this host's clock: see
// onHostClock.
func (k Keys) tooSoon(r Rotation, written time.Time) error {
	if !k.Previous.IsZero() && r.Now.Before(k.PreviousUntil) {
		return fmt.Errorf("%w: the previous key verifies until %s, and a rotation now "+
			"would end its sessions: rotate after that", ErrTooSoon,
			k.PreviousUntil.UTC().Format(time.RFC3339))
	}
	if !k.Next.IsZero() && r.Now.Before(written.Add(r.Settle)) {
		return fmt.Errorf("%w: the next key was published at %s, and components may "+
			"not verify it before %s: rotate after that", ErrTooSoon,
			written.UTC().Format(time.RFC3339),
			written.Add(r.Settle).UTC().Format(time.RFC3339))
	}
	return nil
}

// ringIDs are the ids a ring uses.
type ringIDs map[byte]bool

// take returns the first id after last that is neither used nor 0,
// wrapping past 255, and marks it used. A ring holds three keys at most,
// so one is always free.
func (ids ringIDs) take(last byte) byte {
	id := last + 1
	for id == 0 || ids[id] {
		id++
	}
	ids[id] = true
	return id
}

// newRingKey returns a new random key in the form Vault holds keys: 48
// letters, 273 bits, used as written.
func newRingKey() Secret { return Secret{v: randomLetters(generatedLen)} }

// Rotated is the outcome of Client.RotateKeys.
type Rotated struct {
	// Before is the ring as it was read; zero if it did not exist.
	Before Keys
	// After is the ring as it was written, or Before if nothing was.
	After Keys
	// Version is the secret's version after the rotation.
	Version int
	// Written is false when nothing needed writing (NextOnly on a ring
	// that has a next key).
	Written bool
}

// RotateKeys rotates the key ring whose current field ref names, as
// Keys.Rotate does, and writes it as a new version with check-and-set on
// the version it read: when two rotations run at once, one fails with
// ErrConflict and changes nothing, so no key is lost. A ring written
// without ids is read with derived ids and written with them. Fields of
// the secret that are not the ring's are kept. It needs a policy that
// allows reading, creating and updating the secret.
func (c *Client) RotateKeys(ctx context.Context, ref Ref, r Rotation) (Rotated, error) {
	what := "rotating " + ref.String()
	if ref.Scheme() != SchemeVault || ref.Field() != FieldCurrent {
		return Rotated{}, fmt.Errorf("%s: %w: want a vault reference to the field %q",
			what, ErrInvalid, FieldCurrent)
	}
	v, err := c.ReadVersion(ctx, ref)
	if err != nil {
		return Rotated{}, err
	}
	var out Rotated
	if !v.Fields[FieldCurrent].IsZero() {
		if out.Before, err = KeysFromFields(ref, v.Fields); err != nil {
			return Rotated{}, err
		}
	}
	written, err := c.onHostClock(ctx, v.Created, r.Now)
	if err != nil {
		return Rotated{}, fmt.Errorf("%s: %w", what, err)
	}
	if out.After, err = out.Before.Rotate(r, written); err != nil {
		return Rotated{}, fmt.Errorf("%s: %w", what, err)
	}
	out.Version = v.Number
	if r.NextOnly && !out.Before.Next.IsZero() {
		out.After = out.Before
		return out, nil
	}
	fields := maps.Clone(v.Fields)
	for _, name := range ringFields {
		delete(fields, name)
	}
	maps.Copy(fields, out.After.Fields())
	if out.Version, err = c.WriteCAS(ctx, ref, fields, v.Number); err != nil {
		return Rotated{}, err
	}
	out.Written = true
	c.log.Info("vault_keys_rotated", "ref", ref, "version", out.Version,
		"current_id", out.After.CurrentID, "next_id", out.After.NextID,
		"previous_id", out.After.PreviousID)
	return out, nil
}

// onHostClock turns t, a time on Vault's clock such as when a version
// was written, into this host's clock at now, from the server time Vault
// reports in sys/health: a skew between the two clocks would otherwise
// move the settle check by as much. Vault reports whole seconds, so the
// result is one second later than t at most, never earlier: a rotation
// is only ever refused a little longer.
func (c *Client) onHostClock(ctx context.Context, t, now time.Time) (time.Time, error) {
	if t.IsZero() || c.vault == nil {
		return t, nil
	}
	h, err := c.vault.Sys().HealthWithContext(ctx)
	if err != nil {
		return time.Time{}, c.classify(err, "reading vault's clock")
	}
	return hostTime(t, h.ServerTimeUTC, now), nil
}

// hostTime moves t from a clock that read vaultNow (Unix seconds) when
// this host's read now onto this host's clock, plus the second Vault's
// reading may have lost.
func hostTime(t time.Time, vaultNow int64, now time.Time) time.Time {
	skew := time.Unix(vaultNow, 0).Sub(now)
	return t.Add(-skew).Add(time.Second)
}
