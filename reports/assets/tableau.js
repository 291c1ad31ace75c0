// illectro — tri des tableaux marqués « triable ».
//
// Chaque titre de colonne devient un bouton ; un clic trie les lignes (croissant,
// puis décroissant) et annonce l'ordre par aria-sort. Les cellules chiffrées
// portent leur valeur brute dans data-tri ; « s » et « — » (sans valeur) vont
// à la fin. Sans JavaScript, le tableau reste lisible dans l'ordre où la page le
// donne. Un autre script peut demander un tri en envoyant l'événement
// « illectro:trier » à un titre de colonne (detail.decroissant : du plus élevé
// au plus bas).
(function () {
  "use strict";

  function cle(cellule) {
    if (!cellule) {
      return { vide: true };
    }
    if (cellule.hasAttribute("data-tri")) {
      return { nombre: parseFloat(cellule.getAttribute("data-tri")) };
    }
    if (cellule.classList.contains("nombre")) {
      return { vide: true };
    }
    return { texte: cellule.textContent.trim() };
  }

  function comparer(a, b) {
    if (a.vide || b.vide) {
      return a.vide === b.vide ? 0 : a.vide ? 1 : -1;
    }
    if (a.nombre !== undefined && b.nombre !== undefined) {
      return a.nombre - b.nombre;
    }
    return String(a.texte).localeCompare(String(b.texte), "fr", { numeric: true });
  }

  function trier(tableau, colonne, titre, sens) {
    var corps = tableau.tBodies[0];
    var croissant = sens === undefined ? titre.getAttribute("aria-sort") !== "ascending" : sens;
    var lignes = Array.prototype.slice.call(corps.rows);
    lignes.sort(function (l1, l2) {
      var a = cle(l1.cells[colonne]);
      var b = cle(l2.cells[colonne]);
      if (a.vide || b.vide) {
        return comparer(a, b);
      }
      var c = comparer(a, b);
      return croissant ? c : -c;
    });
    lignes.forEach(function (ligne) {
      corps.appendChild(ligne);
    });
    Array.prototype.forEach.call(tableau.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    titre.setAttribute("aria-sort", croissant ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.triable"), function (tableau) {
    Array.prototype.forEach.call(tableau.tHead.rows[0].cells, function (titre, colonne) {
      var bouton = document.createElement("button");
      bouton.type = "button";
      bouton.className = "tri";
      while (titre.firstChild) {
        bouton.appendChild(titre.firstChild);
      }
      titre.appendChild(bouton);
      bouton.addEventListener("click", function () {
        trier(tableau, colonne, titre);
      });
      titre.addEventListener("illectro:trier", function (e) {
        trier(tableau, colonne, titre, !(e.detail && e.detail.decroissant));
      });
    });
  });
})();
