//go:build !unix

package progress

import "os"

// openNoFollow: without O_NOFOLLOW here, a symbolic link is refused by
// looking first (a narrow race remains); openRegular checks the rest.
func openNoFollow(name string, flag int, perm os.FileMode) (*os.File, error) {
	if info, err := os.Lstat(name); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return nil, &UnsafeFileError{Path: name, Why: describe(info.Mode())}
	}
	return os.OpenFile(name, flag, perm)
}

// openDir opens a directory, refusing a symbolic link.
func openDir(path string) (*os.File, error) {
	if info, err := os.Lstat(path); err == nil && !info.IsDir() {
		return nil, &UnsafeFileError{Path: path, Why: describeDir(info.Mode())}
	}
	return os.Open(path)
}
