package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shaps-portal/shaps/intake/office"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
)

// minPassword is the shortest operator's password accepted.
const minPassword = 12

// operator prints what gives an operator a password of their own; the password is read from
// the terminal without echo, or from the first line of stdin, and only its bcrypt hash leaves.
func operator(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "add" {
		return errors.New("usage: admin operator add NAME")
	}
	name := args[1]
	if err := office.ValidOperator(name); err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	password, err := readPassword(name, stdin, stderr)
	if err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	if n := len([]rune(password)); n < minPassword {
		return fmt.Errorf("operator add: the password has %d characters, want at least %d", n, minPassword)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	if err != nil {
		return fmt.Errorf("operator add: %w", err)
	}
	if !strings.ContainsAny(name, " ") {
		fmt.Fprintf(stdout, "add to SHAPS_ADMIN_OPERATORS (pairs separated by commas):\n%s:%s\n\n", name, hash)
	}
	fmt.Fprintf(stdout, "or to the config file:\nadmin_operators:\n  %q: %q\n", name, hash)
	return nil
}

// readPassword reads a password twice without echo from a terminal, or once from a pipe.
func readPassword(name string, stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "password for %s: ", name)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if !bytes.Equal(first, again) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	if stdin == nil {
		return "", errors.New("no password given: type it at the terminal, or give it on the first line of stdin")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
