// Package opendata publishes the catalogue as Open Referral HSDS 3 JSON, so that other welfare
// directories can reuse it: organizations with their locations and phones, and services with
// their organization, locations, contacts, schedules and languages.
package opendata
