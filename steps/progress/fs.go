package progress

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MaxStateBytes caps a saved-progress file: 200 runs of every item with
// their summaries take well under 2 MB.
const MaxStateBytes = 16 << 20

// fileSystem is the file operations the store makes; tests inject failures.
// Every open refuses symbolic links, never blocks (a named pipe) and
// accepts only regular files (see ReadPrivateFile).
type fileSystem interface {
	MkdirAll(path string, perm os.FileMode) error
	// ChmodDir sets a directory's mode through a descriptor, never through
	// a symbolic link.
	ChmodDir(path string, perm os.FileMode) error
	ReadFile(name string, max int64) ([]byte, error)
	Lstat(name string) (os.FileInfo, error)
	CreateTemp(dir, pattern string) (tempFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// OpenLock opens (creating it 0600) the lock file.
	OpenLock(name string) (*os.File, error)
	SyncDir(dir string)
}

// tempFile is the temporary file of an atomic write.
type tempFile interface {
	Name() string
	Chmod(os.FileMode) error
	Write([]byte) (int, error)
	Sync() error
	Close() error
}

type osFS struct{}

func (osFS) MkdirAll(path string, perm os.FileMode) error { return os.MkdirAll(path, perm) }
func (osFS) Lstat(name string) (os.FileInfo, error)       { return os.Lstat(name) }
func (osFS) Rename(oldpath, newpath string) error         { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error                     { return os.Remove(name) }

func (osFS) ReadFile(name string, max int64) ([]byte, error) { return ReadPrivateFile(name, max) }

func (osFS) CreateTemp(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

func (osFS) OpenLock(name string) (*os.File, error) {
	return openRegular(name, os.O_RDWR|os.O_CREATE, 0o600)
}

func (osFS) ChmodDir(path string, perm os.FileMode) error {
	d, err := openDir(path)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Chmod(perm)
}

// SyncDir makes a rename durable where the platform allows it.
func (osFS) SyncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// UnsafeFileError is a path rootguard will not read or write through: a
// symbolic link, a named pipe, a device, a directory, or a file over the
// size cap.
type UnsafeFileError struct {
	Path string
	Why  string // "is a symbolic link", "is a named pipe", "is larger than 16 MB"…
}

func (e *UnsafeFileError) Error() string { return e.Path + " " + e.Why }

// describe says what a non-regular file is.
func describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "is a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "is a named pipe"
	case m&fs.ModeSocket != 0:
		return "is a socket"
	case m&fs.ModeDevice != 0:
		return "is a device"
	case m.IsDir():
		return "is a directory"
	}
	return "is not a regular file"
}

// openRegular opens name without following a symbolic link and without
// blocking, and keeps it only if it is a regular file.
func openRegular(name string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := openNoFollow(name, flag, perm)
	if err != nil {
		if info, lerr := os.Lstat(name); lerr == nil && !info.Mode().IsRegular() {
			return nil, &UnsafeFileError{Path: name, Why: describe(info.Mode())}
		}
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, &UnsafeFileError{Path: name, Why: describe(info.Mode())}
	}
	return f, nil
}

// ReadPrivateFile reads a file rootguard keeps (saved progress, the demo
// account): only a regular file, never through a symbolic link at path,
// never waiting on a named pipe, and at most max bytes. Anything else is an
// *UnsafeFileError; a missing file is fs.ErrNotExist.
func ReadPrivateFile(path string, max int64) ([]byte, error) {
	f, err := openRegular(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() > max {
		return nil, tooLarge(path, max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, tooLarge(path, max)
	}
	return data, nil
}

func tooLarge(path string, max int64) error {
	return &UnsafeFileError{Path: path, Why: fmt.Sprintf("is larger than %d MB", max>>20)}
}

// WritePrivateFile replaces path with data, readable by the user alone
// (0600): a temporary file in the same directory, synced, renamed over
// path. A symbolic link at path is replaced, never followed; a directory or
// a device there is refused. Reports and CSV exports are written with it.
func WritePrivateFile(path string, data []byte) (err error) {
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
		return &UnsafeFileError{Path: path, Why: describe(info.Mode())}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	osFS{}.SyncDir(dir)
	return nil
}

// checkDir refuses a directory path that is a symbolic link or not a
// directory; a missing one is fine (it is created).
func checkDir(fsys fileSystem, path string) error {
	info, err := fsys.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !info.IsDir():
		return &UnsafeFileError{Path: path, Why: describeDir(info.Mode())}
	}
	return nil
}

// describeDir says what a path that should be a directory is instead.
func describeDir(m fs.FileMode) string {
	if m&fs.ModeSymlink != 0 {
		return "is a symbolic link"
	}
	return "is not a directory"
}
