package main

import "time"

func defaultDeps() deps {
	return deps{now: time.Now}
}
