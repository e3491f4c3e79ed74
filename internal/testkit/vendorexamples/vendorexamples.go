// Package vendorexamples reads the vendor's example updates
// (feed/testdata/vendor-events.txt) into payloads, for the tests and the
// fuzz corpus of feed and of the packages above it. Only tests import it.
package vendorexamples

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Read reads a file of vendor examples (testdata/vendor-events.txt shape:
// `#` comments, one JSON value per line, either an `event` object or a
// complete ["update", payload] packet) and returns `update` payloads,
// wrapping bare event objects with ts, elapse 0 and consecutive cpt from
// firstSeq.
func Read(path string, ts, firstSeq int64) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	seq := firstSeq
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			var packet []json.RawMessage
			if err := json.Unmarshal(line, &packet); err != nil || len(packet) != 2 {
				return nil, fmt.Errorf("%s: bad packet %s", path, line)
			}
			out = append(out, bytes.Clone(packet[1]))
			continue
		}
		out = append(out, fmt.Appendf(nil, `{"ts":%d,"elapse":0,"cpt":%d,"event":%s}`, ts, seq, line))
		seq++
	}
	return out, sc.Err()
}
