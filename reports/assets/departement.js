// illectro — carte d'un département : taille et couleur des points, infobulles.
//
// La carte est créée par le script en ligne de go-echarts (contour, communes,
// lieux et intercommunalités à leur position). Ce fichier, chargé avec
// « defer », lit les données de la page (élément #donnees-departement, JSON) :
// taille selon la population, couleur selon le décile de fragilité, noms des
// communes les plus peuplées, cercles des intercommunalités, et textes des
// infobulles, déjà formatés côté Go et échappés ici avant d'être affichés. Les
// cases de la légende de la page masquent ou affichent les couches.
(function () {
  "use strict";

  var element = document.getElementById("carte_departement");
  var source = document.getElementById("donnees-departement");
  if (!element || !source || typeof echarts === "undefined") {
    return;
  }
  var carte = echarts.getInstanceByDom(element);
  if (!carte) {
    return;
  }
  var donnees = JSON.parse(source.textContent);

  var entites = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function echapper(texte) {
    return String(texte).replace(/[&<>"']/g, function (c) {
      return entites[c];
    });
  }

  // communes : taille selon la population, couleur selon le décile, et le
  // nom des plus peuplées (champ « etiquette »). Les étiquettes ont un liseré
  // blanc pour rester lisibles sur les points ; ECharts masque celle qui en
  // chevaucherait une autre, en gardant celle de la plus grande commune.
  function communes(liste) {
    return (liste || []).map(function (p) {
      var item = {
        value: p.value,
        texte: p.texte,
        symbolSize: p.taille || 4,
        itemStyle: { color: p.couleur || "#c4c4c4" }
      };
      if (p.etiquette) {
        item.name = p.etiquette;
        item.label = { show: true };
      }
      return item;
    });
  }

  function points(liste) {
    return (liste || []).map(function (p) {
      return { value: p.value, texte: p.texte };
    });
  }

  // tailles : les intercommunalités, en cercles d'autant plus grands qu'elles
  // comptent de personnes estimées en illectronisme, au style de leur série.
  function tailles(liste) {
    return (liste || []).map(function (p) {
      return { value: p.value, texte: p.texte, symbolSize: p.taille || 8 };
    });
  }

  // Les couches, par l'identifiant de leur série (depLayers dans
  // reports/departement.go) ; une case « couche-<id> » de la légende de la
  // page affiche ou masque les lieux et les intercommunalités.
  var couches = {
    communes: communes(donnees.communes),
    lieux: points(donnees.lieux),
    intercommunalites: tailles(donnees.intercommunalites)
  };

  carte.setOption({
    tooltip: {
      formatter: function (p) {
        var lignes = String((p.data && p.data.texte) || "").split("\n");
        return lignes.map(echapper).join("<br>");
      }
    },
    series: [
      { id: "intercommunalites", data: couches.intercommunalites },
      { id: "lieux", data: couches.lieux },
      {
        id: "communes",
        data: couches.communes,
        label: {
          show: false,
          formatter: "{b}",
          position: "right",
          distance: 3,
          color: "#1e1e1e",
          fontSize: 12,
          fontWeight: "bold",
          textBorderColor: "#ffffff",
          textBorderWidth: 3
        },
        labelLayout: { hideOverlap: true }
      }
    ]
  });

  Object.keys(couches).forEach(function (id) {
    var caseCouche = document.getElementById("couche-" + id);
    if (!caseCouche) {
      return;
    }
    caseCouche.addEventListener("change", function () {
      carte.setOption({ series: [{ id: id, data: caseCouche.checked ? couches[id] : [] }] });
    });
    if (!caseCouche.checked) {
      carte.setOption({ series: [{ id: id, data: [] }] });
    }
  });
  window.addEventListener("resize", function () {
    carte.resize();
  });
})();
