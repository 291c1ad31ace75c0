package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// TestConfigPlanAndMargins reads the mediator plan's France Services keys
// and the margins file, and refuses bad values with the file named.
func TestConfigPlanAndMargins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "id,annee,champ,dimension,modalite,libelle,taux_pct,tolerance_pt,erreur_type_pt,usage,reference,source,url,statut\n"
	good := write("marges.csv", header+"n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,16,0.05,0.36,calage,,s,u,v\n")
	bad := write("marges_bad.csv", header+"n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,seize,0.05,0.36,calage,,s,u,v\n")

	cfg, err := LoadConfig(write("ok.toml", "france_services_agents = 3\nfrance_services_share_max = 0.3\nillectronism_margins = \""+good+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Params()
	if p.FranceServicesAgents != 3 || p.FranceServicesShare == nil ||
		*p.FranceServicesShare != (isql.Range{Min: 0, Central: isql.DefaultFranceServicesShare.Central, Max: 0.3}) {
		t.Errorf("params = %+v (share %+v), want 3 agents, share 0–10–30 %%", p, p.FranceServicesShare)
	}
	o, err := cfg.ModelOptions()
	if err != nil || len(o.Margins) != 1 || o.Margins[0].Rate != 0.16 {
		t.Errorf("model options = %+v, %v; want the file's one margin at 16 %%", o, err)
	}
	if o, _ := DefaultConfig().ModelOptions(); o.Margins != nil {
		t.Errorf("without the key, margins = %v, want nil (the built-in file)", o.Margins)
	}

	for _, tt := range []struct{ name, body, want string }{
		{"bad margins file", "illectronism_margins = \"" + bad + "\"\n", "marges_bad.csv line 2, column taux_pct"},
		{"missing margins file", "illectronism_margins = \"" + filepath.Join(dir, "none.csv") + "\"\n", "none.csv"},
		{"share above 1", "france_services_share_max = 1.5\n", "France Services digital share"},
		{"share min above central", "france_services_share_min = 0.5\n", "France Services digital share"},
		{"agents", "france_services_agents = -1\n", "France Services agents"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conf := write(strings.ReplaceAll(tt.name, " ", "_")+".toml", tt.body)
			_, err := LoadConfig(conf)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), conf) {
				t.Errorf("loadConfig = %v, want an error naming %s and %q", err, conf, tt.want)
			}
		})
	}
}
