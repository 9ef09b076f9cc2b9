package tui

import (
	"os/exec"
	"runtime"
)

// SystemBrowser returns a function that opens a link in the user's browser,
// or nil when none can be opened here (no display, or no opener installed),
// so the wizard offers copy and QR code instead.
func SystemBrowser(getenv func(string) string) func(url string) error {
	var name string
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "linux", "freebsd", "openbsd", "netbsd":
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return nil
		}
		name = "xdg-open"
	default:
		return nil
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return nil
	}
	return func(url string) error {
		// Output goes to the null device, never into the wizard's screen.
		cmd := exec.Command(path, url)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }() // reap it; the browser outlives us
		return nil
	}
}
