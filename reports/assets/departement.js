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

  // Les points arrivent en tableaux (voir reports/depisland.go) :
  // [longitude, latitude, [textes], taille, couleur, étiquette], les débuts
  // de ligne des infobulles une fois par couche (« libelles »).
  function elements(couche) {
    return ((couche && couche.points) || []).map(function (p) {
      var lignes = [];
      (p[2] || []).forEach(function (texte, i) {
        if (texte !== "") {
          lignes.push((couche.libelles[i] || "") + texte);
        }
      });
      var item = { value: [p[0], p[1]], texte: lignes.join("\n") };
      if (p.length > 3 && p[3] > 0) {
        item.symbolSize = p[3];
      }
      if (p.length > 4 && p[4] >= 0) {
        item.itemStyle = { color: donnees.couleurs[p[4]] };
      }
      if (p.length > 5 && p[5]) {
        item.name = p[5];
        item.label = { show: true };
      }
      return item;
    });
  }

  // communes : taille selon la population, couleur selon le décile, et le
  // nom des plus peuplées. Les étiquettes ont un liseré blanc pour rester
  // lisibles sur les points ; ECharts masque celle qui en chevaucherait une
  // autre, en gardant celle de la plus grande commune.
  function communes(couche) {
    return elements(couche).map(function (item) {
      item.symbolSize = item.symbolSize || 4;
      item.itemStyle = item.itemStyle || { color: "#c4c4c4" };
      return item;
    });
  }

  // tailles : les intercommunalités, en cercles d'autant plus grands qu'elles
  // comptent de personnes estimées en illectronisme, au style de leur série.
  function tailles(couche) {
    return elements(couche).map(function (item) {
      item.symbolSize = item.symbolSize || 8;
      return item;
    });
  }

  // Les couches, par l'identifiant de leur série (depLayers dans
  // reports/departement.go) ; une case « couche-<id> » de la légende de la
  // page affiche ou masque les lieux et les intercommunalités.
  var couches = {
    communes: communes(donnees.communes),
    lieux: elements(donnees.lieux),
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
