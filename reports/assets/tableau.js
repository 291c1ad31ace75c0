// illectro — tri des tableaux marqués « triable ».
//
// Chaque titre de colonne devient un bouton ; un clic trie les lignes (croissant,
// puis décroissant) et annonce l'ordre par aria-sort. Une cellule chiffrée
// (classe « nombre », ou cellule d'un tableau « nombres » hors la première de
// sa ligne) est triée sur le nombre qu'elle affiche, ou sur sa valeur brute
// data-tri quand le texte arrondit la valeur ou n'est pas un nombre seul ;
// « s » et « — » (sans valeur) vont à la fin. Sans JavaScript, le tableau reste lisible dans l'ordre où la page le
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
      var tri = cellule.getAttribute("data-tri");
      return tri === "" ? { vide: true } : { nombre: parseFloat(tri) };
    }
    if (cellule.classList.contains("nombre") || cellule.matches(".nombres tbody td:not(:first-child)")) {
      return lireNombre(cellule.textContent);
    }
    return { texte: cellule.textContent.trim() };
  }

  // lireNombre lit un nombre écrit en français, tel que la page l'affiche
  // (« 4 878 », « -19,7 ») ; tout autre texte (« s », « — ») est sans valeur.
  // Même règle que readNumber dans reports/format.go, qui n'écrit data-tri
  // que quand le texte ne donne pas la valeur de tri.
  function lireNombre(texte) {
    var t = texte.replace(/[\s\u202f\u00a0]/g, "");
    if (!/^-?[0-9]+(,[0-9]+)?$/.test(t)) {
      return { vide: true };
    }
    return { nombre: parseFloat(t.replace(",", ".")) };
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
