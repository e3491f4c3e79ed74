package journal

import "sync"

// CompressDay compresses the day file of day in dir as a writer does
// once the day has closed, for the tests outside the package.
func CompressDay(dir, day string) error {
	d, err := openDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return (&compressor{d: d, dir: dir, files: &sync.Mutex{}}).compress(day)
}
