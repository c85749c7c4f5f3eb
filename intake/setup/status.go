package setup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/folder"
	"github.com/shaps-portal/shaps/intake/status/s3board"
	"github.com/shaps-portal/shaps/intake/status/s3read"
)

// Status is the status board and the signer of the requests' keys.
type Status struct {
	Reader status.Reader // what the status page reads
	Board  status.Board  // where the office writes; nil in the function, which only reads
	Signer *status.Signer
}

// Where the signing secret may come from.
const (
	// SecretFromEnv takes it from SHAPS_SIGNING_KEY only: the function, whose instances must all
	// sign alike and whose disk does not last.
	SecretFromEnv = false
	// SecretLocal also keeps one in SHAPS_SIGNING_KEY_FILE: serve and the admin command on one
	// machine share it.
	SecretLocal = true
)

// OpenStatus opens the configured status board, to read and write, and the signer: for serve
// and the admin command. local says whether a missing SHAPS_SIGNING_KEY may be made and kept in
// SigningKeyFile (0600).
func OpenStatus(ctx context.Context, c Config, local bool) (Status, error) {
	signer, err := openSigner(c, local)
	if err != nil {
		return Status{}, err
	}
	st := Status{Signer: signer}
	switch c.Status {
	case "s3":
		client, err := S3Client(ctx, c)
		if err != nil {
			return Status{}, err
		}
		if st.Board, err = s3board.New(client, c.StatusBucket); err != nil {
			return Status{}, err
		}
	default:
		if st.Board, err = folder.Open(c.StatusDir); err != nil {
			return Status{}, err
		}
	}
	st.Reader = st.Board
	return st, nil
}

// OpenStatusReader opens the configured status board to read only, and the signer, whose
// secret must come from SHAPS_SIGNING_KEY: for the function, which reads a bucket with one
// signed GET rather than the S3 client.
func OpenStatusReader(ctx context.Context, c Config) (Status, error) {
	return openStatusReader(ctx, c, awsLoader(c))
}

func openStatusReader(ctx context.Context, c Config, load func(context.Context) (aws.Config, error)) (Status, error) {
	signer, err := openSigner(c, SecretFromEnv)
	if err != nil {
		return Status{}, err
	}
	st := Status{Signer: signer}
	switch c.Status {
	case "s3":
		awsCfg, err := load(ctx)
		if err != nil {
			return Status{}, err
		}
		st.Reader, err = s3read.New(&http.Client{Timeout: 5 * time.Second}, c.StatusBucket, c.AWSRegion, c.S3Endpoint, awsCfg.Credentials, time.Now)
		return st, err
	default:
		st.Reader, err = folder.Open(c.StatusDir)
		return st, err
	}
}

func openSigner(c Config, local bool) (*status.Signer, error) {
	secret := []byte(c.SigningKey)
	if len(secret) == 0 {
		if !local {
			return nil, errors.New("SHAPS_SIGNING_KEY is not set: the function needs a secret of at least 32 bytes (e.g. openssl rand -hex 32), the same for the admin command")
		}
		var err error
		if secret, err = localSecret(c.SigningKeyFile); err != nil {
			return nil, err
		}
	}
	signer, err := status.NewSigner(secret)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return signer, nil
}

// localSecret reads the secret kept in path, or makes one there: 32 random bytes, as hex, 0600.
func localSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= status.MinSecret {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("signing key %s: shorter than %d bytes: remove it to make a new one", path, status.MinSecret)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	secret := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return localSecret(path) // another program made it meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return []byte(secret), nil
}

// S3Client builds the S3 client, pointed at AWS_ENDPOINT_URL_S3 (path-style) when set.
func S3Client(ctx context.Context, c Config) (*s3.Client, error) {
	awsCfg, err := awsConfig(ctx, c)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.S3Endpoint != "" {
			o.BaseEndpoint = aws.String(c.S3Endpoint)
			o.UsePathStyle = true
		}
	}), nil
}
