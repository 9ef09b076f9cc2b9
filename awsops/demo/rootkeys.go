package demo

import (
	"context"
	"slices"

	"github.com/rootguard/rootguard/awsops"
)

// Root's own access keys, for the root-access-keys fix: listed with their
// last use, deactivated and deleted as IAM does, with the same guard as the
// real backend (root callers only, never the key the caller runs on).

var (
	_ awsops.RootKeyDirectory = (*Account)(nil)
	_ awsops.RootKeyWriter    = (*Account)(nil)
)

func (a *Account) RootAccessKeys(ctx context.Context, caller awsops.Identity) ([]awsops.AccessKey, error) {
	return read(a, ctx, "RootAccessKeys", func(st *state) ([]awsops.AccessKey, error) {
		if !caller.IsRoot {
			return nil, &awsops.Error{Kind: awsops.KindOther, Permission: permissions["RootAccessKeys"],
				Message: awsops.ErrNotRoot.Error() + ": run rootguard as the root user", Err: awsops.ErrNotRoot}
		}
		out := make([]awsops.AccessKey, len(st.rootKeys))
		for i, k := range st.rootKeys {
			out[i] = awsops.AccessKey{ID: k.id, Active: k.active, CreatedAt: k.created,
				LastUsed: k.lastUsed, LastUsedService: k.lastService, LastUsedRegion: k.lastRegion}
		}
		return out, nil
	})
}

func (st *state) rootKey(id string) *accessKey {
	for i := range st.rootKeys {
		if st.rootKeys[i].id == id {
			return &st.rootKeys[i]
		}
	}
	return nil
}

func (a *Account) DeactivateRootAccessKey(ctx context.Context, caller awsops.Identity, keyID string) error {
	const op = "DeactivateRootAccessKey"
	return a.write(ctx, op, "AccessKeyId="+awsops.MaskKey(keyID)+" Status=Inactive", func(st *state) error {
		if err := awsops.RootKeyGuard(permissions[op], caller, keyID); err != nil {
			return err
		}
		k := st.rootKey(keyID)
		if k == nil {
			return noSuchEntity(op, "Access Key with id "+awsops.MaskKey(keyID))
		}
		k.active = false
		return nil
	})
}

// DeleteRootAccessKey deletes a key whether active or not, as IAM does.
func (a *Account) DeleteRootAccessKey(ctx context.Context, caller awsops.Identity, keyID string) error {
	const op = "DeleteRootAccessKey"
	return a.write(ctx, op, "AccessKeyId="+awsops.MaskKey(keyID), func(st *state) error {
		if err := awsops.RootKeyGuard(permissions[op], caller, keyID); err != nil {
			return err
		}
		if st.rootKey(keyID) == nil {
			return noSuchEntity(op, "Access Key with id "+awsops.MaskKey(keyID))
		}
		st.rootKeys = slices.DeleteFunc(st.rootKeys, func(k accessKey) bool { return k.id == keyID })
		return nil
	})
}
