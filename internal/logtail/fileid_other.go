//go:build !unix

package logtail

import "os"

// fileID tells no file's identity here: a follower reports no position
// of a file it opened, so that none is resumed.
func fileID(os.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }
