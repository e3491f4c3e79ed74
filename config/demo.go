package config

// LoadDemo is Load for the demo (--demo), which replaces the connection
// with its own simulator: every key is read and checked as Load checks
// it, but those of [axialys] (url, login, the password's source,
// ca_file…), which are neither checked nor needed. So the rules of a file
// written for the real service (thresholds, alerts, display, pauses) can
// be tried on the demo, even before its connection is filled in. The
// [axialys] it returns is the file's, unchecked: the demo does not use it.
func LoadDemo(path string) (cfg *Config, warnings []string, err error) {
	return load(path, func(c *Config) error {
		connection := c.Axialys
		c.Axialys = defaults().Axialys
		c.Axialys.Login = "demo" // any: the check wants one
		defer func() { c.Axialys = connection }()
		return c.validate(false)
	})
}
