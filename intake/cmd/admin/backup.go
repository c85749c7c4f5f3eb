package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/backupdir"
	"github.com/shaps-portal/shaps/intake/office/backups3"
)

func (a *app) backup(ctx context.Context, args []string) error {
	if _, err := a.parse(flag.NewFlagSet("backup", flag.ContinueOnError), args, "to"); err != nil {
		return err
	}
	name, dropped, err := a.backupNow(ctx)
	for _, n := range dropped {
		fmt.Fprintf(a.stdout, "deleted the backup %s (retention: %d daily, %d monthly)\n", n, a.cfg.Backup.Keep.Daily, a.cfg.Backup.Keep.Monthly)
	}
	if name != "" {
		fmt.Fprintf(a.stdout, "backup %s written to %s\n", name, a.cfg.Backup.To)
	}
	return err
}

// backupNow takes a backup, records it in the store and applies the retention.
func (a *app) backupNow(ctx context.Context) (string, []string, error) {
	c := a.cfg.Backup
	if c.To == "" {
		return "", nil, errors.New("backup: say where backups go: -to DIR or -to s3://bucket/prefix (SHAPS_BACKUP_TO)")
	}
	if c.Recipients == "" {
		return "", nil, errors.New("backup: SHAPS_BACKUP_RECIPIENT is empty: give the age public key (age1…) of the office's backup key, made with age-keygen and kept away from this computer")
	}
	to, err := office.ParseRecipients(c.Recipients)
	if err != nil {
		return "", nil, fmt.Errorf("backup: SHAPS_BACKUP_RECIPIENT: %w", err)
	}
	vault, err := a.vault(ctx)
	if err != nil {
		return "", nil, err
	}
	now := a.now()
	name, dropped, err := office.Backup(ctx, a.store, vault, to, c.Keep, now)
	if name != "" {
		if rerr := a.store.BackedUp(name, a.cfg.Actor, now); rerr != nil && err == nil {
			err = rerr
		}
	}
	return name, dropped, err
}

// vault opens where the backups go: a folder, or s3://bucket/prefix.
func (a *app) vault(ctx context.Context) (office.Vault, error) {
	to := a.cfg.Backup.To
	if bucket, prefix, ok := backups3.ParseURL(to); ok {
		opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(a.cfg.queue.AWSRegion)}
		if q := a.cfg.queue; q.AccessKeyID != "" {
			opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(q.AccessKeyID, q.SecretAccessKey, "")))
		}
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("backup: aws config: %w", err)
		}
		client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
			if e := a.cfg.Backup.S3Endpoint; e != "" {
				o.BaseEndpoint, o.UsePathStyle = aws.String(e), true
			}
		})
		return backups3.New(client, bucket, prefix), nil
	}
	return backupdir.Open(to)
}

// warnBackup warns when the last backup is more than a day old, or there never was one.
func (a *app) warnBackup() {
	last, err := a.store.LastBackup()
	switch {
	case err != nil:
		fmt.Fprintf(a.stderr, "warning: when was the last backup? %v\n", err)
	case last.IsZero():
		fmt.Fprintln(a.stderr, "warning: the case store has never been backed up: run `admin backup` (see SHAPS_BACKUP_TO, SHAPS_BACKUP_RECIPIENT)")
	case a.now().Sub(last) > office.BackupStale:
		fmt.Fprintf(a.stderr, "warning: the last backup was taken %s, more than a day ago: run `admin backup`\n", last.Local().Format("2006-01-02 15:04"))
	}
}

// backupDaily takes a backup whenever the last is a day old, checking every hour, until ctx ends.
func (a *app) backupDaily(ctx context.Context, check time.Duration) {
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		if last, err := a.store.LastBackup(); err == nil && a.now().Sub(last) >= office.BackupStale {
			if name, _, err := a.backupNow(ctx); err != nil && ctx.Err() == nil {
				fmt.Fprintf(a.stderr, "admin serve: scheduled backup: %v\n", err)
			} else if name != "" {
				fmt.Fprintf(a.stdout, "backup %s written\n", name)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
