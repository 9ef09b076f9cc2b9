package demo

import (
	"errors"
	"fmt"
	"time"
)

// Signing in as the new administrator: the end of the demo's story. Once a
// working administrator exists (the admin-identity fix made one, or a
// simulation did), the person signs out of root and signs in to the console
// as that user; from then on the demo's caller is the user, not root, and
// root-usage can pass when root has not been used since the administrator
// was created.

// ErrNoAdminToSignIn is SignInAsAdmin's answer when the user named is not a
// working administrator (full rights nothing cuts down, a console password
// and MFA).
var ErrNoAdminToSignIn = errors.New("not an administrator with a console password and MFA")

// AdminToSignIn is the administrator the demo can sign in as: the working
// administrator created last. ok is false while there is none, or when the
// caller already is an IAM user.
func (a *Account) AdminToSignIn() (name string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.st.caller != "" {
		return "", false
	}
	var newest *iamUser
	for i, u := range a.st.users {
		if a.st.workingAdmin(u) && (newest == nil || !u.created.Before(newest.created)) {
			newest = &a.st.users[i]
		}
	}
	if newest == nil {
		return "", false
	}
	return newest.name, true
}

// SignedInAs is the IAM user the demo runs as ("" while it is root).
func (a *Account) SignedInAs() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.st.caller
}

// SignInAsAdmin is the person signing out of root and signing in to the
// console as the administrator name (password and MFA code; AWS has them
// choose a new password), then opening CloudShell: from now on the demo's
// caller is that user. It can be undone like a simulation.
func (a *Account) SignInAsAdmin(name string) error {
	now := a.now().UTC().Truncate(time.Second)
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.st.user(name)
	if u == nil || !a.st.workingAdmin(*u) {
		return fmt.Errorf("cannot sign in as %q: %w", name, ErrNoAdminToSignIn)
	}
	if a.st.caller == name {
		return nil
	}
	before := snapshotOf(a.st)
	a.st.caller = name
	a.st.callerKeyID = sessionKeyID(name)
	u.passwordLastUsed, u.passwordChanged = now, now
	a.pushUndo("root-usage", "Signed out of root and signed in to the console as "+name+", then opened CloudShell.", before)
	return nil
}

// sessionKeyID is the temporary key of a user's CloudShell session.
func sessionKeyID(user string) string {
	return "ASIA" + userID(user)[4:]
}
