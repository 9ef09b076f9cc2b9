//go:build unix

package progress

import (
	"os"

	"golang.org/x/sys/unix"
)

// openNoFollow opens name refusing a symbolic link as its last component
// (O_NOFOLLOW) and without waiting for a named pipe's writer (O_NONBLOCK).
func openNoFollow(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, perm)
}

// openDir opens a directory, refusing a symbolic link.
func openDir(path string) (*os.File, error) {
	d, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && !info.IsDir() {
			return nil, &UnsafeFileError{Path: path, Why: describeDir(info.Mode())}
		}
		return nil, err
	}
	return d, nil
}
