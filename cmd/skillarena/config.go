package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"skillarena/database"
	"skillarena/org"
)

// Config is the process configuration, read from SKILLARENA_* environment
// variables. Secrets may come from files named by the _FILE variants.
type Config struct {
	Addr            string        `env:"ADDR" envDefault:"127.0.0.1:8080"`
	DatabaseURL     string        `env:"DATABASE_URL" envDefault:"sqlite://./data/skillarena.db"`
	DBMaxOpenConns  int           `env:"DB_MAX_OPEN_CONNS" envDefault:"32"`
	Demo            bool          `env:"DEMO" envDefault:"false"`
	AdminUsername   string        `env:"ADMIN_USERNAME" envDefault:"admin"`
	AdminPassword   string        `env:"ADMIN_PASSWORD"`
	LogLevel        string        `env:"LOG_LEVEL" envDefault:"info"`
	LogFormat       string        `env:"LOG_FORMAT" envDefault:"json"`
	SessionIdle     time.Duration `env:"SESSION_IDLE_TIMEOUT" envDefault:"2h"`
	SessionLifetime time.Duration `env:"SESSION_LIFETIME" envDefault:"12h"`
	CookieSecure    bool          `env:"COOKIE_SECURE" envDefault:"false"`
	TrustedProxies  []string      `env:"TRUSTED_PROXIES" envSeparator:","`
	TrustedOrigins  []string      `env:"TRUSTED_ORIGINS" envSeparator:","`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"20s"`
	// LoginRate and LoginBurst bound sign-ins per client address per second
	// before any password work; an exam room behind one address signs in at
	// once, so the burst is a room's size.
	LoginRate  float64 `env:"LOGIN_RATE" envDefault:"10"`
	LoginBurst int     `env:"LOGIN_BURST" envDefault:"100"`
	// DebugAddr, when set, serves Go's profiler (/debug/pprof/) on a
	// loopback address of its own, never on the public one.
	DebugAddr string `env:"DEBUG_ADDR"`

	db database.URL
}

// secretVars may be given as NAME_FILE, a path whose content is the value.
var secretVars = []string{"DATABASE_URL", "ADMIN_PASSWORD"}

// LoadConfig reads the configuration from environ (os.Environ() form) and
// validates it.
func LoadConfig(environ []string) (Config, error) {
	vars := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, name := range secretVars {
		key := "SKILLARENA_" + name
		path, ok := vars[key+"_FILE"]
		if !ok {
			continue
		}
		if _, both := vars[key]; both {
			return Config{}, fmt.Errorf("set %s or %s_FILE, not both", key, key)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("%s_FILE: %v", key, err)
		}
		vars[key] = strings.TrimRight(string(b), "\r\n")
	}
	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Prefix: "SKILLARENA_", Environment: vars}); err != nil {
		return Config{}, describeParseError(err)
	}
	return cfg, cfg.Validate()
}

// Validate refuses bad values and bad combinations, each with a message that
// names the variable.
func (c *Config) Validate() error {
	var problems []string
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		problems = append(problems, fmt.Sprintf("SKILLARENA_ADDR=%q: want host:port, e.g. 127.0.0.1:8080", c.Addr))
	}
	if c.DebugAddr != "" {
		host, port, err := net.SplitHostPort(c.DebugAddr)
		if ip := net.ParseIP(host); err != nil || port == "" || ip == nil || !ip.IsLoopback() {
			problems = append(problems, fmt.Sprintf("SKILLARENA_DEBUG_ADDR=%q: want a loopback host:port, e.g. 127.0.0.1:6060", c.DebugAddr))
		}
	}
	u, err := database.ParseURL(c.DatabaseURL)
	if err != nil {
		problems = append(problems, "SKILLARENA_DATABASE_URL: "+err.Error())
	}
	c.db = u
	if c.LoginRate <= 0 || c.LoginRate > 10000 {
		problems = append(problems, fmt.Sprintf("SKILLARENA_LOGIN_RATE=%v: want more than 0, at most 10000 per second", c.LoginRate))
	}
	if c.LoginBurst < 1 || c.LoginBurst > 100000 {
		problems = append(problems, fmt.Sprintf("SKILLARENA_LOGIN_BURST=%d: want 1 to 100000", c.LoginBurst))
	}
	if c.DBMaxOpenConns < 1 || c.DBMaxOpenConns > 1000 {
		problems = append(problems, fmt.Sprintf("SKILLARENA_DB_MAX_OPEN_CONNS=%d: want 1 to 1000", c.DBMaxOpenConns))
	}
	if c.AdminPassword != "" {
		if m := org.ValidatePassword(c.AdminPassword); m != "" {
			problems = append(problems, "SKILLARENA_ADMIN_PASSWORD: at least 8 characters with a letter and a digit")
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		problems = append(problems, "SKILLARENA_LOG_LEVEL: "+err.Error())
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		problems = append(problems, fmt.Sprintf("SKILLARENA_LOG_FORMAT=%q: want json or text", c.LogFormat))
	}
	if c.SessionIdle <= 0 || c.SessionLifetime <= 0 {
		problems = append(problems, "SKILLARENA_SESSION_IDLE_TIMEOUT and SKILLARENA_SESSION_LIFETIME must be positive durations, e.g. 2h")
	} else if c.SessionIdle > c.SessionLifetime {
		problems = append(problems, "SKILLARENA_SESSION_IDLE_TIMEOUT must not exceed SKILLARENA_SESSION_LIFETIME")
	}
	for _, o := range c.TrustedOrigins {
		if pu, err := url.Parse(o); err != nil || pu.Scheme == "" || pu.Host == "" || pu.Path != "" {
			problems = append(problems, fmt.Sprintf("SKILLARENA_TRUSTED_ORIGINS: %q is not an origin like https://host:port", o))
		}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				problems = append(problems, fmt.Sprintf("SKILLARENA_TRUSTED_PROXIES: %q is not an IP address or CIDR", p))
			}
		}
	}
	if c.ShutdownTimeout <= 0 {
		problems = append(problems, "SKILLARENA_SHUTDOWN_TIMEOUT must be a positive duration")
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid configuration:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("%q: want debug, info, warn or error", s)
	}
	return l, nil
}

// describeParseError names the environment variable behind each value that
// could not be parsed, rather than the Go field.
func describeParseError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %v", err)
	}
	t := reflect.TypeOf(Config{})
	var problems []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			if f, ok := t.FieldByName(pe.Name); ok {
				name := "SKILLARENA_" + strings.Split(f.Tag.Get("env"), ",")[0]
				problems = append(problems, fmt.Sprintf("%s: not a valid %s (%v)", name, pe.Type, errors.Unwrap(pe.Err)))
				continue
			}
		}
		problems = append(problems, e.Error())
	}
	return fmt.Errorf("invalid configuration:\n  - %s", strings.Join(problems, "\n  - "))
}
