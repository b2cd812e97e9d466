// Command iglowly runs the iGlowly Assistant: "iglowly dev" runs
// everything in one process; "iglowly edge" and "iglowly worker <stage>"
// run one component each against a NATS server; "iglowly redact" shows
// what the sanitiser would remove from lines of text.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/iglowly/assistant/config"
)

const usage = `usage:
  iglowly dev [--http 127.0.0.1:8080] [--nats-listen host:port]
  iglowly edge [--http :8080] --nats URL --nats-user edge --session-keys REF --address-key REF
  iglowly worker sanitiser|inference|response --nats URL --nats-user NAME
  iglowly provision --nats URL --nats-user admin [--clinic FILE]...
  iglowly redact [--jsonl] < lines     (what would be removed, as JSON lines)
  iglowly nats-config --name NODE [--routes H:P,...] [--tls-cert F ...] [--out F]
  iglowly nats-auth --replicas C=N,... [--routes H:P,...] --out FILE [--vault-* flags]
  iglowly security events --clinic ID [--since 24h] --nats URL --nats-user admin
  iglowly analytics --clinic ID [--days 30] [--by day,topic,...] --nats URL --nats-user admin
  iglowly security relay --nats URL [--system-user U] [--app-user U] [--nats-log FILE]...
  iglowly keys rotate --file RING | --vault-ref vault://MOUNT/PATH [--grace 4h]
      [--next-only] [--force] [--vault-* login flags]
REF is a secret reference: vault://mount/path#field, file:///path or
env://NAME (see docs/vault.md). NATS passwords come from
IGLOWLY_NATS_PASSWORD or the reference --nats-password-ref; every flag also has an IGLOWLY_* environment
variable (see docs/operations.md). GOGC defaults
to 800 and GOMEMLIMIT to 1GiB here; set them to choose others.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	config.TuneRuntime(os.Getenv)
	if err := run(ctx, os.Args[1:], log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		log.Error("exit", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		return flag.ErrHelp
	}
	switch args[0] {
	case "dev":
		return runDev(ctx, args[1:], log)
	case "edge":
		return runEdge(ctx, args[1:], log)
	case "worker":
		if len(args) < 2 {
			return flag.ErrHelp
		}
		return runWorker(ctx, args[1], args[2:], log)
	case "provision":
		return runProvision(ctx, args[1:], log)
	case "redact":
		return runRedact(args[1:], os.Stdin, os.Stdout, os.Stderr)
	case "nats-config":
		return runNATSConfig(args[1:], os.Stdout, log)
	case "nats-auth":
		return runNATSAuth(ctx, args[1:], os.Getenv, log)
	case "security":
		if len(args) > 1 && args[1] == "relay" {
			return runRelay(ctx, args[2:], os.Getenv, log)
		}
		return runSecurity(ctx, args[1:], os.Stdout, log)
	case "analytics":
		return runAnalytics(ctx, args[1:], time.Now(), os.Stdout, log)
	case "keys":
		return runKeys(args[1:], os.Stdout)
	}
	return flag.ErrHelp
}
