// illectro — carte d'un département : taille et couleur des points, infobulles.
//
// La carte est créée par le script en ligne de go-echarts (contour, communes et
// lieux à leur position). Ce fichier, chargé avec « defer », lit les données de
// la page (élément #donnees-departement, JSON) : taille selon la population,
// couleur selon le décile de fragilité, cercles des intercommunalités, et
// textes des infobulles, déjà formatés côté Go et échappés ici avant d'être
// affichés.
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

  function points(liste, style) {
    return (liste || []).map(function (p) {
      var item = { value: p.value, texte: p.texte };
      if (style) {
        item.symbolSize = p.taille || 4;
        item.itemStyle = { color: p.couleur || "#c4c4c4" };
      }
      return item;
    });
  }

  // tailles : les intercommunalités, en cercles d'autant plus grands qu'elles
  // comptent de personnes estimées en illectronisme, au style de leur série.
  function tailles(liste) {
    return (liste || []).map(function (p) {
      return { value: p.value, texte: p.texte, symbolSize: p.taille || 8 };
    });
  }

  carte.setOption({
    tooltip: {
      formatter: function (p) {
        var lignes = String((p.data && p.data.texte) || "").split("\n");
        return lignes.map(echapper).join("<br>");
      }
    },
    series: [
      { name: "Communes", data: points(donnees.communes, true) },
      { name: "Lieux de médiation", data: points(donnees.lieux, false) },
      { name: "Intercommunalités", data: tailles(donnees.intercommunalites) }
    ]
  });
  window.addEventListener("resize", function () {
    carte.resize();
  });
})();
