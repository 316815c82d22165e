// Command moto-world starts moto_server, builds one scenario's world in it
// through the AWS API, and either runs a command against it or waits.
//
//	go run ./internal/testenv/cmd/moto-world no-endpoints -- ecsdoctor diagnose --cluster {cluster} --service {service}
//
// {cluster} and {service} in the command are replaced with the scenario's
// names; the command gets AWS_ENDPOINT_URL, AWS_REGION and dummy
// credentials pointing at the world. Without a command it prints them and
// waits for Ctrl-C.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/motoworld"
)

func main() {
	os.Exit(run())
}

func run() int {
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		all, _ := scenario.All()
		fmt.Fprintln(os.Stderr, "usage: moto-world SCENARIO [-- COMMAND...]\nscenarios:")
		for _, s := range all {
			fmt.Fprintf(os.Stderr, "  %-26s %s\n", s.Name, s.Title)
		}
		return 2
	}
	sc, err := scenario.ByName(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var command []string
	if len(args) > 2 && args[1] == "--" {
		command = args[2:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv, err := moto.Start(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "moto-world:", err)
		return 1
	}
	defer srv.Close()
	if _, err := motoworld.Build(ctx, srv, sc); err != nil {
		fmt.Fprintln(os.Stderr, "moto-world:", err)
		return 1
	}
	cluster, service := sc.World.Clusters[0].Name, sc.World.Clusters[0].Services[0].Name
	env := []string{
		"AWS_ENDPOINT_URL=" + srv.URL, "AWS_REGION=" + sc.Region,
		"AWS_ACCESS_KEY_ID=moto", "AWS_SECRET_ACCESS_KEY=moto", "AWS_SESSION_TOKEN=moto",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull, "AWS_CA_BUNDLE=",
	}
	if len(command) == 0 {
		for _, e := range env {
			fmt.Println("export " + e)
		}
		fmt.Printf("# world %q is up: cluster %s, service %s. Ctrl-C stops it.\n", sc.Name, cluster, service)
		<-ctx.Done()
		return 0
	}
	for i, a := range command {
		command[i] = strings.NewReplacer("{cluster}", cluster, "{service}", service).Replace(a)
	}
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintln(os.Stderr, "moto-world:", err)
		return 1
	}
	return 0
}
