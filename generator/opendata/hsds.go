package opendata

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shaps-portal/shaps/generator/catalog"
)

// Organization is an HSDS organization.
type Organization struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Email       string     `json:"email,omitempty"`
	Website     string     `json:"website,omitempty"`
	YearInc     int        `json:"year_incorporated,omitempty"`
	LegalStatus string     `json:"legal_status,omitempty"`
	Phones      []Phone    `json:"phones"`
	Locations   []Location `json:"locations"`
}

// Service is an HSDS service, with its organization embedded as the compiled schema allows.
type Service struct {
	ID                     string              `json:"id"`
	OrganizationID         string              `json:"organization_id"`
	Name                   string              `json:"name"`
	Description            string              `json:"description,omitempty"`
	URL                    string              `json:"url"`
	Email                  string              `json:"email,omitempty"`
	Status                 string              `json:"status"`
	ApplicationProcess     string              `json:"application_process,omitempty"`
	EligibilityDescription string              `json:"eligibility_description,omitempty"`
	FeesDescription        string              `json:"fees_description,omitempty"`
	Phones                 []Phone             `json:"phones"`
	Schedules              []Schedule          `json:"schedules"`
	ServiceAtLocations     []ServiceAtLocation `json:"service_at_locations"`
	Languages              []Language          `json:"languages"`
	Contacts               []Contact           `json:"contacts"`
	Organization           *Organization       `json:"organization,omitempty"`
}

// Location is an HSDS location.
type Location struct {
	ID           string    `json:"id"`
	LocationType string    `json:"location_type"`
	Name         string    `json:"name,omitempty"`
	Latitude     *float64  `json:"latitude,omitempty"`
	Longitude    *float64  `json:"longitude,omitempty"`
	Addresses    []Address `json:"addresses"`
}

// Address is an HSDS address.
type Address struct {
	ID            string `json:"id"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Phone is an HSDS phone.
type Phone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Type   string `json:"type,omitempty"`
}

// Schedule is an HSDS schedule; the portal's hours are free text.
type Schedule struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

// ServiceAtLocation links a service and a location.
type ServiceAtLocation struct {
	ID       string   `json:"id"`
	Location Location `json:"location"`
}

// Language is a language spoken by the service's staff.
type Language struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// Contact is an HSDS contact.
type Contact struct {
	ID     string  `json:"id"`
	Email  string  `json:"email,omitempty"`
	Phones []Phone `json:"phones"`
}

// namespace makes stable ids from the portal's slugs, so that reusers can follow records.
var namespace = uuid.MustParse("5b9e6f1c-2a8d-4c3b-9e7f-0d1a2b3c4d5e")

func id(parts ...string) string {
	return uuid.NewSHA1(namespace, []byte(strings.Join(parts, "/"))).String()
}

var statuses = map[string]string{"active": "active", "suspended": "temporarily closed", "ended": "defunct"}

// Build maps the catalog to HSDS: one organization per association, one service per service.
func Build(cat *catalog.Catalog, baseURL string) ([]Organization, []Service) {
	province := cat.Portal.Province
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	var orgs []Organization
	var services []Service
	for _, a := range cat.Associations {
		o := Organization{ID: id("org", a.Slug), Name: a.Name, Description: a.Summary, Email: a.Contacts.Email, Website: a.Contacts.Website,
			YearInc: a.Founded, LegalStatus: a.LegalForm, Phones: phones(a.Contacts, "org", a.Slug), Locations: []Location{}}
		if l, ok := location(a.Contacts, province, "org", a.Slug); ok {
			o.Locations = append(o.Locations, l)
		}
		orgs = append(orgs, o)
		for _, s := range a.Services {
			contacts := a.Contacts
			if s.Contacts != nil {
				contacts = *s.Contacts
			}
			sv := Service{ID: id("service", a.Slug, s.Slug), OrganizationID: o.ID, Name: s.Name, Description: s.Summary,
				URL: baseURL + "servizi/" + a.Slug + "/" + s.Slug + "/", Email: contacts.Email, Status: statuses[s.Status],
				ApplicationProcess: s.HowToAccess, EligibilityDescription: s.Who,
				Phones: phones(contacts, "service", a.Slug, s.Slug), Schedules: []Schedule{}, ServiceAtLocations: []ServiceAtLocation{},
				Languages: []Language{}, Contacts: []Contact{}}
			if s.Cost != nil {
				sv.FeesDescription = s.Cost.Notes
				if sv.FeesDescription == "" && s.Cost.Free != nil && *s.Cost.Free {
					sv.FeesDescription = "Gratuito"
				}
			}
			hours := s.Hours
			if hours == "" {
				hours = contacts.Hours
			}
			if hours != "" {
				sv.Schedules = append(sv.Schedules, Schedule{ID: id("schedule", a.Slug, s.Slug), Description: hours})
			}
			for i, p := range s.Locations {
				l := Location{ID: id("location", a.Slug, s.Slug, fmt.Sprint(i)), LocationType: "physical", Name: p.Name, Addresses: []Address{}}
				if p.Geo != nil {
					l.Latitude, l.Longitude = &p.Geo.Lat, &p.Geo.Lon
				}
				sv.ServiceAtLocations = append(sv.ServiceAtLocations, ServiceAtLocation{ID: id("sal", a.Slug, s.Slug, fmt.Sprint(i)), Location: l})
			}
			if len(s.Locations) == 0 {
				if l, ok := location(contacts, province, "service", a.Slug, s.Slug); ok {
					sv.ServiceAtLocations = append(sv.ServiceAtLocations, ServiceAtLocation{ID: id("sal", a.Slug, s.Slug), Location: l})
				}
			}
			for _, code := range s.Languages {
				sv.Languages = append(sv.Languages, Language{ID: id("language", a.Slug, s.Slug, code), Code: code})
			}
			if contacts.Email != "" || contacts.Phone != "" {
				sv.Contacts = append(sv.Contacts, Contact{ID: id("contact", a.Slug, s.Slug), Email: contacts.Email, Phones: sv.Phones})
			}
			org := o
			sv.Organization = &org
			services = append(services, sv)
		}
	}
	return orgs, services
}

func phones(c catalog.Contacts, parts ...string) []Phone {
	if c.Phone == "" {
		return []Phone{}
	}
	return []Phone{{ID: id(append([]string{"phone"}, parts...)...), Number: c.Phone, Type: "voice"}}
}

func location(c catalog.Contacts, province string, parts ...string) (Location, bool) {
	if c.Address == nil {
		return Location{}, false
	}
	l := Location{ID: id(append([]string{"location"}, parts...)...), LocationType: "physical", Addresses: []Address{{
		ID: id(append([]string{"address"}, parts...)...), Address1: c.Address.Street, City: c.Address.City,
		StateProvince: cmpOr(province, c.Address.City), PostalCode: c.Address.PostalCode, Country: "IT", AddressType: "physical",
	}}}
	if c.Geo != nil {
		l.Latitude, l.Longitude = &c.Geo.Lat, &c.Geo.Lon
	}
	return l, true
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Write publishes organizations.json and services.json under dir/opendata/hsds.
func Write(dir string, cat *catalog.Catalog, baseURL string, now time.Time) error {
	orgs, services := Build(cat, baseURL)
	out := filepath.Join(dir, "opendata", "hsds")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, v := range map[string]any{"organizations.json": orgs, "services.json": services} {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}
